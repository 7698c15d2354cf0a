# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DunningRunLine(models.Model):
    """An item listed in a reminder: an open invoice or a netted credit."""

    _name = "dunning.run.line"
    _description = "Dunning Reminder Line"
    _order = "run_customer_id, kind, due_date, id"

    run_customer_id = fields.Many2one(
        "dunning.run.customer", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one("account.move", string="Document", required=True)
    kind = fields.Selection(
        [
            ("invoice", "Invoice"),
            ("credit_note", "Credit note"),
            ("payment", "Payment"),
        ],
        required=True,
    )
    name = fields.Char(string="Number")
    invoice_date = fields.Date()
    due_date = fields.Date()
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    residual = fields.Monetary(string="Open amount")
    disputed_amount = fields.Monetary()
    amount_due = fields.Monetary(
        help="Open amount minus the disputed part; for a credit, the amount "
        "netted (negative)."
    )
    penalty = fields.Monetary(string="Penalties")
    indemnity = fields.Monetary()
    level_sequence = fields.Integer(
        string="Level reached", help="The level this invoice's own lateness reached."
    )
    new_action = fields.Boolean(
        help="This invoice receives the level of the reminder for the first time."
    )
