# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

CONFLICT_RULES = [
    ("split", "Split into separate invoices"),
    ("block", "Block the customer's billing"),
]
# invoice fields checked by each conflict rule
RULE_KEYS = {
    "rule_payment_term": "invoice_payment_term_id",
    "rule_journal": "journal_id",
    "rule_fiscal_position": "fiscal_position_id",
    "rule_shipping": "partner_shipping_id",
    "rule_buyer_reference": "buyer_reference",
}
# French rule for periodic invoices (Code de commerce L441-10 I)
PERIODIC_TERM_MAX_DAYS = 45
BILLING_DAYS = (
    [("contract", "Each contract's own billing day")]
    + [(str(day), str(day)) for day in range(1, 29)]
    + [("last", "Last day of month")]
)


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
        "(co-terming) and fall due together. 'Each contract's own billing "
        "day' keeps the day of each contract's billing rule: contracts due in "
        "the same run are still invoiced together.",
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
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default payment term",
        check_company=True,
        help="Used for contracts that have none.",
    )
    payment_term_warning = fields.Char(compute="_compute_payment_term_warning")
    rule_payment_term = fields.Selection(
        CONFLICT_RULES,
        string="Different payment terms",
        default="split",
        required=True,
    )
    rule_journal = fields.Selection(
        CONFLICT_RULES, string="Different journals", default="split", required=True
    )
    rule_fiscal_position = fields.Selection(
        CONFLICT_RULES,
        string="Different fiscal positions",
        default="split",
        required=True,
    )
    rule_shipping = fields.Selection(
        CONFLICT_RULES,
        string="Different delivery addresses",
        default="split",
        required=True,
    )
    rule_buyer_reference = fields.Selection(
        CONFLICT_RULES,
        string="Different buyer references or orders",
        default="split",
        required=True,
    )

    _minimum_amount_positive = models.Constraint(
        "CHECK (minimum_amount >= 0)",
        "The minimum invoice amount cannot be negative.",
    )

    @api.depends("payment_term_id")
    def _compute_payment_term_warning(self):
        for policy in self:
            days = policy.payment_term_id._max_days() if policy.payment_term_id else 0
            policy.payment_term_warning = (
                self.env._(
                    "Periodic invoices must be paid within %(max)s days of their "
                    "date (Code de commerce L441-10); this payment term allows "
                    "%(days)s days.",
                    max=PERIODIC_TERM_MAX_DAYS,
                    days=days,
                )
                if days > PERIODIC_TERM_MAX_DAYS
                else False
            )

    def _block_keys(self):
        """The invoice fields whose differences block a customer's billing."""
        self.ensure_one()
        return [key for rule, key in RULE_KEYS.items() if self[rule] == "block"]

    @api.onchange("auto_post")
    def _onchange_auto_post(self):
        if not self.auto_post:
            self.auto_send = False
