# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class RecurringPeriod(models.Model):
    """The period ledger: one row per billed period of a contract line.

    A partial unique index on (contract line, period start) over the rows that
    are not cancelled makes a second billing of the same period impossible,
    whatever runs at the same time. The state is derived from the invoice line:
    cancelling the invoice cancels the row and frees the period; deleting the
    invoice deletes the row.
    """

    _name = "recurring.period"
    _description = "Billed Period"
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    _check_company_auto = True

    contract_line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="restrict", index=True
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id", store=True, index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    product_id = fields.Many2one(related="contract_line_id.product_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    billed_start = fields.Date(
        required=True,
        readonly=True,
        help="First day billed in the period (the period start, unless the line "
        "starts later or was paused).",
    )
    billed_end = fields.Date(required=True, readonly=True)
    scheduled_date = fields.Date(readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    price_unit = fields.Float(
        string="Full price", digits="Product Price", readonly=True
    )
    proration_factor = fields.Float(digits=(16, 10), readonly=True, default=1.0)
    proration_note = fields.Char(readonly=True)
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal")
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice line",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True)
    credit_move_line_id = fields.Many2one(
        "account.move.line",
        string="Credit note line",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("credited", "Credited"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )

    _period_unique = models.UniqueIndex(
        "(contract_line_id, period_start) WHERE state != 'cancelled'",
        "This period of the contract line is already billed.",
    )
    _billed_range = models.Constraint(
        "CHECK (period_start <= billed_start AND billed_start <= billed_end "
        "AND billed_end <= period_end)",
        "The billed days must lie inside the period.",
    )

    @api.depends("move_line_id.parent_state", "credit_move_line_id.parent_state")
    def _compute_state(self):
        for period in self:
            if not period.move_line_id:
                period.state = "to_invoice"
            elif period.move_line_id.parent_state == "cancel":
                period.state = "cancelled"
            elif (
                period.credit_move_line_id
                and period.credit_move_line_id.parent_state != "cancel"
            ):
                period.state = "credited"
            else:
                period.state = "invoiced"

    @api.depends("quantity", "price_unit", "proration_factor")
    def _compute_price_subtotal(self):
        for period in self:
            period.price_subtotal = (
                period.quantity * period.price_unit * period.proration_factor
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if any(period.move_line_id and period.state != "cancelled" for period in self):
            raise UserError(
                self.env._(
                    "A billed period cannot be deleted: cancel or delete its "
                    "invoice instead."
                )
            )
