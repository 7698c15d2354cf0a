# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class FacturxArchiveExport(models.TransientModel):
    """Auditor export: a zip of the archived documents, manifests and chain."""

    _name = "facturx.archive.export"
    _description = "Factur-X archive export"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    journal_ids = fields.Many2many(
        "account.journal",
        string="Journals",
        domain="[('company_id', '=', company_id), ('type', '=', 'sale')]",
        help="Empty: every sales journal.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    export_file = fields.Binary(readonly=True, attachment=False)
    export_filename = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The end date precedes the start date."))
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("invoice_date", ">=", self.date_from),
                ("invoice_date", "<=", self.date_to),
            ]
        )
        if self.journal_ids:
            domain &= Domain("journal_id", "in", self.journal_ids.ids)
        entries = self.env["facturx.archive"].search(domain)
        if not entries:
            raise UserError(self.env._("No archived Factur-X document in this period."))
        content = self.env["facturx.archive"]._export_zip(entries)
        self.write(
            {
                "export_file": base64.b64encode(content),
                "export_filename": (
                    f"facturx-archive-{self.date_from}-{self.date_to}.zip"
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
