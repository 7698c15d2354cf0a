# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

AGGREGATIONS = [
    ("sum", "Sum of quantities"),
    ("count", "Count of events"),
    ("max", "Maximum quantity"),
    ("latest", "Latest quantity"),
    ("unique_count", "Unique count of a property"),
    ("reading", "Meter reading difference"),
]


class UsageMetric(models.Model):
    """What is measured and how a period's events are aggregated."""

    _name = "usage.metric"
    _description = "Billable Metric"
    _order = "code"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="The code senders put on their events (api_calls)."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    aggregation = fields.Selection(AGGREGATIONS, required=True, default="sum")
    unique_property = fields.Char(
        help="Event property whose distinct values are counted (user_id)."
    )
    group_by_property = fields.Char(
        help="Event property whose values are priced separately (region): one "
        "invoice line per value."
    )
    filter_properties = fields.Json(
        help='Only events whose properties contain these are billed, e.g. {"tier": '
        '"premium"}.'
    )
    description = fields.Text()

    _code_company_unique = models.Constraint(
        "UNIQUE (company_id, code)",
        "A metric code must be unique per company.",
    )

    @api.constrains("aggregation", "unique_property")
    def _check_unique_property(self):
        for metric in self:
            if metric.aggregation == "unique_count" and not metric.unique_property:
                raise ValidationError(
                    self.env._(
                        "The metric %(metric)s counts unique values: say of which "
                        "property.",
                        metric=metric.code,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_usage_events(self):
        self.env["usage.event"]._check_no_events(
            "metric_id",
            self,
            self.env._("A metric that received usage events cannot be deleted."),
        )
