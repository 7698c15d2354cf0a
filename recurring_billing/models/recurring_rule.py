# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import recurrence as recurrence_tools

UNITS = [
    ("day", "Day(s)"),
    ("week", "Week(s)"),
    ("month", "Month(s)"),
    ("quarter", "Quarter(s)"),
    ("semester", "Semester(s)"),
    ("year", "Year(s)"),
]
BILLING_DAYS = [(str(day), str(day)) for day in range(1, 29)] + [
    ("last", "Last day of month")
]


class RecurringRule(models.Model):
    """How often a contract line is billed, and when in the period.

    The arithmetic lives in ``tools/`` (plain Python); this model only holds
    the settings and hands them to it.
    """

    _name = "recurring.rule"
    _description = "Recurrence Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the rule between companies.",
    )
    interval = fields.Integer(
        default=1,
        required=True,
        help="Number of units in one period, e.g. 3 months.",
    )
    unit = fields.Selection(UNITS, default="month", required=True)
    billing_mode = fields.Selection(
        [("calendar", "Calendar"), ("anniversary", "Anniversary")],
        default="calendar",
        required=True,
        help="Calendar: periods start on the billing day (the 1st of the month, "
        "of the quarter…); the first period is prorated.\n"
        "Anniversary: periods start on the contract line's start date.",
    )
    billing_day = fields.Selection(
        BILLING_DAYS,
        default="1",
        help="Day of the month calendar periods start on.",
    )
    month_end = fields.Boolean(
        string="Stick to month end",
        help="Anniversary periods anchored on the last day of a month always "
        "start on the last day of the month (Feb 28 → Mar 31).",
    )
    invoicing_mode = fields.Selection(
        [
            ("prepaid", "Prepaid (at period start)"),
            ("postpaid", "Postpaid (at period end)"),
        ],
        default="prepaid",
        required=True,
    )
    postpaid_next_day = fields.Boolean(
        string="Invoice the day after the period",
        help="Postpaid periods are invoiced on their last day by default, as "
        "French law (CGI art. 289) expects; tick to invoice the next day.",
    )
    description = fields.Char(compute="_compute_description")

    _interval_range = models.Constraint(
        "CHECK (interval BETWEEN 1 AND 36)",
        "The interval of a recurrence rule must be between 1 and 36.",
    )

    @api.depends("interval", "unit")
    def _compute_description(self):
        labels = dict(self._fields["unit"]._description_selection(self.env))
        for rule in self:
            rule.description = self.env._(
                "Every %(interval)s %(unit)s",
                interval=rule.interval,
                unit=labels.get(rule.unit, "").lower(),
            )

    def _to_recurrence(self):
        """The rule as the engine's plain-Python :class:`Recurrence`."""
        self.ensure_one()
        billing_day = self.billing_day or "1"
        return recurrence_tools.Recurrence(
            unit=self.unit,
            interval=self.interval,
            mode=self.billing_mode,
            billing_day="last" if billing_day == "last" else int(billing_day),
            invoicing=self.invoicing_mode,
            postpaid_next_day=self.postpaid_next_day,
            month_end=self.month_end,
        )
