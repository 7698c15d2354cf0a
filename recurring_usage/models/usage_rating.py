# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class UsageRating(models.Model):
    """The rated usage of one period of a contract line (per group-by value),
    as billed on one invoice line: the audit trail from the invoice line to
    the events it billed.

    A unique index on (contract line, period start, group) over the period
    ratings makes a second billing of the same usage impossible, whatever runs
    at the same time; corrections (late events) are rows of their own, and the
    events they bill are claimed ``WHERE rating_id IS NULL`` in the same
    transaction.
    """

    _name = "usage.rating"
    _description = "Rated Usage"
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    _check_company_auto = True

    move_line_id = fields.Many2one(
        "account.move.line", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True)
    contract_line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="restrict", index=True
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id", store=True, index=True
    )
    company_id = fields.Many2one(related="contract_line_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_line_id.partner_id", store=True)
    currency_id = fields.Many2one(related="contract_line_id.currency_id")
    metric_id = fields.Many2one("usage.metric", required=True, ondelete="restrict")
    kind = fields.Selection(
        [
            ("usage", "Usage"),
            ("true_up", "Minimum true-up"),
            ("correction", "Late usage correction"),
            ("prepaid", "Prepaid usage"),
            ("drawdown", "Drawn from prepaid usage"),
        ],
        required=True,
        default="usage",
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    group_key = fields.Char(default="")
    quantity = fields.Float(digits=(20, 6), help="The aggregated quantity.")
    billable_quantity = fields.Float(digits=(20, 6))
    amount = fields.Monetary(
        help="The rated amount (corrections: the difference; prepaid: the amount "
        "billed in advance; drawn from prepaid: what the prepaid amount covers, "
        "negative)."
    )
    breakdown = fields.Text(help="The tiers, as on the invoice line.")
    event_count = fields.Integer(help="Events billed by this rating.")
    event_ids = fields.One2many("usage.event", "rating_id")

    _period_unique = models.UniqueIndex(
        "(contract_line_id, period_start, kind, group_key) "
        "WHERE kind NOT IN ('correction', 'drawdown')",
        "This usage period is already billed.",
    )
