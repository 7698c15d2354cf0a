# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningDisputeWizard(models.TransientModel):
    """Record a dispute on invoices, or on the customer's whole debt."""

    _name = "dunning.dispute.wizard"
    _description = "Record a Dispute"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        help="Empty: the customer disputes its whole debt.",
    )
    amount = fields.Float(
        string="Disputed amount",
        help="For a single invoice, the part under dispute; empty for all of it.",
    )
    reason = fields.Selection(
        selection=lambda self: self.env["dunning.dispute"]
        ._fields["reason"]
        ._description_selection(self.env),
        required=True,
        default="other",
    )
    note = fields.Text()

    @api.model
    def _action_open(self, partner, moves=None):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Dispute"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_move_ids": (moves or self.env["account.move"]).ids,
            },
        }

    def action_confirm(self):
        self.ensure_one()
        self.env["dunning.dispute"]._record(
            self.partner_id, self.move_ids, self.reason, self.note, self.amount
        )
        return {"type": "ir.actions.act_window_close"}
