# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class RecurringContractTerminateWizard(models.TransientModel):
    _name = "recurring.contract.terminate.wizard"
    _description = "Terminate a Contract"

    contract_id = fields.Many2one("recurring.contract", required=True)
    date = fields.Date(
        string="Last day of service",
        required=True,
        compute="_compute_date",
        store=True,
        readonly=False,
    )
    reason = fields.Text(required=True)
    ignore_notice = fields.Boolean(
        string="Waive the notice period",
        help="Billing managers may end a contract before its notice period.",
    )

    @api.depends("contract_id")
    def _compute_date(self):
        """The last billed day when the notice allows it, else the end of the
        period the notice ends in: never a stub of a few days to bill."""
        today = fields.Date.context_today(self)
        for wizard in self:
            contract = wizard.contract_id
            earliest = today + timedelta(days=contract.notice_days)
            if contract.invoiced_until and contract.invoiced_until >= earliest:
                wizard.date = contract.invoiced_until
            elif contract.rule_id:
                wizard.date = contract._period_end(earliest)
            else:
                wizard.date = earliest

    def action_terminate(self):
        self.ensure_one()
        self.contract_id._terminate(
            self.date, self.reason, ignore_notice=self.ignore_notice
        )
        return {"type": "ir.actions.act_window_close"}
