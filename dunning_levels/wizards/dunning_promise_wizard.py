# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningPromiseWizard(models.TransientModel):
    """Record a customer's promise to pay by a date."""

    _name = "dunning.promise.wizard"
    _description = "Record a Promise to Pay"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Promised payment date", required=True)
    amount = fields.Monetary(string="Promised amount", currency_field="currency_id")
    note = fields.Text()

    @api.model
    def _action_open(self, partner):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Promise to Pay"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.commercial_partner_id.id},
        }

    def action_confirm(self):
        self.ensure_one()
        self.env["dunning.promise"]._record(
            self.partner_id, self.company_id, self.date, self.amount, self.note
        )
        return {"type": "ir.actions.act_window_close"}
