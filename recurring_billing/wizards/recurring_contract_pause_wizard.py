# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RecurringContractPauseWizard(models.TransientModel):
    _name = "recurring.contract.pause.wizard"
    _description = "Pause a Contract"

    contract_id = fields.Many2one("recurring.contract", required=True)
    date_start = fields.Date(
        string="Paused from", required=True, default=fields.Date.context_today
    )
    date_end = fields.Date(
        string="Resumes on", help="Leave empty to resume by hand later."
    )
    reason = fields.Char(required=True)

    def action_pause(self):
        self.ensure_one()
        self.contract_id._pause(self.date_start, self.date_end, self.reason)
        return {"type": "ir.actions.act_window_close"}
