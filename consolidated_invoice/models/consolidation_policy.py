# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

BILLING_DAYS = [(str(day), str(day)) for day in range(1, 29)] + [
    ("last", "Last day of month")
]


class ConsolidationPolicy(models.Model):
    """What a bill run puts on one invoice, and when.

    A company has a default policy; a customer may have its own.
    """

    _name = "consolidation.policy"
    _description = "Consolidation Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    billing_cycle = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")],
        default="month",
        required=True,
    )
    billing_day = fields.Selection(
        BILLING_DAYS,
        default="1",
        required=True,
        help="Bill cycle day: the customer's contracts are aligned on it "
        "(co-terming) and fall due together.",
    )
    alignment = fields.Selection(
        [
            ("delayed", "With the next cycle invoice"),
            ("immediate", "On its own invoice at activation"),
        ],
        string="First partial period",
        default="delayed",
        required=True,
        help="Where the prorated period of a new subscription, from its start to "
        "the next bill cycle day, is invoiced.",
    )
    include_sale_orders = fields.Boolean(
        string="Include one-off charges",
        help="Add the invoiceable lines of the customer's confirmed sale orders "
        "to the cycle invoice.",
    )
    minimum_amount = fields.Monetary(
        currency_field="currency_id",
        help="Below this untaxed total, charges are carried over to the next cycle.",
    )
    auto_post = fields.Boolean(
        string="Post invoices", help="Post the invoices a bill run creates."
    )
    auto_send = fields.Boolean(
        string="Send invoices",
        help="Send posted invoices to the customer by email after the run.",
    )

    _minimum_amount_positive = models.Constraint(
        "CHECK (minimum_amount >= 0)",
        "The minimum invoice amount cannot be negative.",
    )

    @api.onchange("auto_post")
    def _onchange_auto_post(self):
        if not self.auto_post:
            self.auto_send = False
