# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    recurring_contract_ids = fields.Many2many(
        "recurring.contract",
        string="Contracts",
        compute="_compute_recurring_contract_ids",
    )
    recurring_contract_count = fields.Integer(compute="_compute_recurring_contract_ids")

    @api.depends("line_ids.recurring_period_ids")
    def _compute_recurring_contract_ids(self):
        for move in self:
            contracts = move.line_ids.recurring_period_ids.contract_id
            move.recurring_contract_ids = contracts
            move.recurring_contract_count = len(contracts)

    def button_draft(self):
        """A cancelled invoice whose periods were billed again cannot come back."""
        cancelled = self.filtered(lambda move: move.state == "cancel")
        periods = cancelled.line_ids.recurring_period_ids
        if periods:
            rebilled = self.env["recurring.period"].search_count(
                [
                    ("id", "not in", periods.ids),
                    ("state", "!=", "cancelled"),
                    ("contract_line_id", "in", periods.contract_line_id.ids),
                    ("period_start", "in", periods.mapped("period_start")),
                ],
                limit=1,
            )
            if rebilled:
                raise UserError(
                    self.env._(
                        "The contract periods of this invoice were billed again "
                        "after it was cancelled; it cannot be reset to draft."
                    )
                )
        return super().button_draft()

    def action_view_recurring_contracts(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.recurring_contract_action"
        )
        action["domain"] = [("id", "in", self.recurring_contract_ids.ids)]
        return action
