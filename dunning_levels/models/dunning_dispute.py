# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DunningDispute(models.Model):
    """A customer disputes an invoice (or part of it), or its whole debt.

    On an invoice, the disputed amount is left out of the reminders and the
    rest is still chased; without an invoice, the customer is skipped.
    """

    _name = "dunning.dispute"
    _description = "Dunning Dispute"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        help="Empty: the customer disputes its whole debt and receives no "
        "reminder while the dispute is open.",
    )
    amount = fields.Monetary(
        string="Disputed amount",
        currency_field="currency_id",
        help="Part of the invoice under dispute; empty for the whole invoice.",
    )
    reason = fields.Selection(
        [
            ("quality", "Goods or service not compliant"),
            ("price", "Price or quantity"),
            ("not_received", "Not received"),
            ("duplicate", "Billed twice"),
            ("refused", "Invoice refused (e-invoicing status 210)"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    note = fields.Text()
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        tracking=True,
    )

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for dispute in self:
            if dispute.amount < 0 or (
                dispute.move_id and dispute.amount > dispute.move_id.amount_total
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed amount must be between zero and the invoice "
                        "total (%(total)s).",
                        total=dispute.move_id.amount_total,
                    )
                )

    def action_resolve(self):
        self.state = "resolved"

    @api.model
    def _record(self, partner, moves, reason, note, amount=0.0):
        """Open disputes on ``moves`` (one each) or on the whole debt."""
        partner = partner.commercial_partner_id
        if len(moves) != 1:
            amount = 0.0
        values = [
            {
                "partner_id": partner.id,
                "company_id": move.company_id.id,
                "move_id": move.id,
                "reason": reason,
                "note": note,
                "amount": amount,
            }
            for move in moves
        ] or [{"partner_id": partner.id, "reason": reason, "note": note}]
        disputes = self.create(values)
        for dispute in disputes:
            partner.sudo().message_post(
                body=self.env._(
                    "Dispute recorded on %(what)s: %(reason)s.",
                    what=dispute.move_id.name or self.env._("the whole debt"),
                    reason=dict(
                        self._fields["reason"]._description_selection(self.env)
                    )[dispute.reason],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return disputes

    def _disputed_amount(self):
        """Disputed amount per invoice (its residual when none is given)."""
        amounts = {}
        for dispute in self.filtered("move_id"):
            move = dispute.move_id
            amount = dispute.amount or abs(move.amount_residual_signed)
            amounts[move.id] = amounts.get(move.id, 0.0) + amount
        return amounts
