# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Not related fields: a related field writes each value on its own, and the
    # company checks the rate type and the rate together against the floor.
    late_payment_rate_type = fields.Selection(
        selection=lambda self: self.env["res.company"]
        ._fields["late_payment_rate_type"]
        ._description_selection(self.env),
        string="Late-payment penalty rate",
        compute="_compute_late_payment_rate",
        store=True,
        readonly=False,
    )
    late_payment_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(5, 2),
        compute="_compute_late_payment_rate",
        store=True,
        readonly=False,
    )
    late_payment_indemnity = fields.Monetary(
        related="company_id.late_payment_indemnity",
        readonly=False,
        currency_field="late_payment_indemnity_currency_id",
    )
    late_payment_indemnity_currency_id = fields.Many2one(
        related="company_id.late_payment_indemnity_currency_id"
    )
    early_payment_discount_terms = fields.Char(
        related="company_id.early_payment_discount_terms", readonly=False
    )
    vat_on_debits = fields.Boolean(related="company_id.vat_on_debits", readonly=False)

    @api.depends("company_id")
    def _compute_late_payment_rate(self):
        for settings in self:
            settings.late_payment_rate_type = settings.company_id.late_payment_rate_type
            settings.late_payment_rate = settings.company_id.late_payment_rate

    def set_values(self):
        res = super().set_values()
        for settings in self:
            company = settings.company_id
            values = {
                "late_payment_rate_type": settings.late_payment_rate_type or "legal",
                "late_payment_rate": settings.late_payment_rate,
            }
            if any(company[name] != value for name, value in values.items()):
                company.write(values)
        return res
