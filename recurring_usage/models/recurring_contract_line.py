# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import rating

PRICE_MODELS = [
    ("per_unit", "Per unit"),
    ("graduated", "Graduated tiers"),
    ("volume", "Volume tiers"),
    ("package", "Package"),
]


class RecurringContractLine(models.Model):
    """A usage line bills its metric's events of each period, in arrears."""

    _inherit = "recurring.contract.line"

    usage_metric_id = fields.Many2one(
        "usage.metric",
        string="Metric",
        check_company=True,
        index="btree_not_null",
        help="Set: the line bills the metered usage of each period, in arrears.",
    )
    usage_price_model = fields.Selection(
        PRICE_MODELS, string="Price model", default="per_unit"
    )
    usage_price = fields.Float(
        string="Usage price",
        digits="Product Price",
        help="Per unit: the price of one unit; package: the price of one package.",
    )
    usage_package_size = fields.Float(
        string="Package size", digits="Product Unit", default=1.0
    )
    usage_tier_ids = fields.One2many("usage.price.tier", "line_id", string="Tiers")
    usage_included = fields.Float(
        string="Included units",
        digits="Product Unit",
        help="Units of each period billed at nothing (allowance).",
    )
    usage_minimum = fields.Monetary(
        string="Minimum per period",
        help="Commitment: a lower usage amount gets a true-up line.",
    )
    usage_prepaid = fields.Boolean(
        string="Prepaid",
        help="The minimum per period is billed in advance, at the start of each "
        "period, with the recurring fees; the period's usage is drawn from it and "
        "only what it does not cover is billed, in arrears. The prepaid amount "
        "is not refunded when the usage is lower.",
    )
    usage_rating_ids = fields.One2many(
        "usage.rating", "contract_line_id", string="Rated usage"
    )
    usage_alert_threshold = fields.Float(
        string="Alert threshold",
        digits="Product Unit",
        help="When the running period's quantity passes it, the contract's "
        "responsible gets an activity.",
    )
    usage_alert_email = fields.Boolean(
        string="Email the customer",
        help="When the threshold is passed, the customer gets an email too.",
    )
    usage_alert_period = fields.Date(
        copy=False, help="Period start of the last threshold alert."
    )
    usage_alert_quantity = fields.Float(
        digits="Product Unit",
        copy=False,
        help="The running period's quantity when the last alert was given.",
    )

    _usage_package_positive = models.Constraint(
        "CHECK (usage_package_size IS NULL OR usage_package_size > 0)",
        "A package holds at least one unit.",
    )

    @api.constrains("usage_prepaid", "usage_minimum")
    def _check_usage_prepaid(self):
        for line in self.filtered("usage_prepaid"):
            if line.usage_minimum <= 0:
                raise ValidationError(
                    self.env._(
                        "The prepaid usage line %(line)s needs the amount billed in "
                        "advance: set its minimum per period.",
                        line=line.display_name,
                    )
                )

    @api.constrains("usage_metric_id", "usage_price_model", "usage_tier_ids")
    def _check_usage_tiers(self):
        for line in self.filtered("usage_metric_id"):
            if line.usage_price_model not in ("graduated", "volume"):
                continue
            try:
                rating.tiers_of(line._usage_tier_rows())
            except rating.RatingError as error:
                raise ValidationError(
                    self.env._(
                        "The tiers of %(line)s are wrong: %(error)s",
                        line=line.display_name,
                        error=error,
                    )
                ) from error

    def _usage_tier_rows(self):
        """``(up_to, unit_price, flat_fee)`` rows; the last tier is open."""
        self.ensure_one()
        tiers = self.usage_tier_ids.sorted(lambda t: (t.up_to or 0) == 0)
        rows = []
        for index, tier in enumerate(tiers):
            last = index == len(tiers) - 1
            up_to = None if last and not tier.up_to else tier.up_to
            rows.append((up_to, tier.unit_price, tier.flat_fee))
        return rows

    def _rate_usage(self, quantity, minimum=True):
        """Rate one period's aggregated ``quantity`` (tools/rating.py)."""
        self.ensure_one()
        return rating.rate(
            quantity,
            self.usage_price_model,
            digits=self.currency_id.decimal_places,
            price=self.usage_price,
            tiers=self._usage_tier_rows()
            if self.usage_price_model in ("graduated", "volume")
            else (),
            package_size=self.usage_package_size or 1,
            included=self.usage_included,
            minimum=self.usage_minimum if minimum else 0,
        )

    def _usage_alert_figures(self):
        """The alert's quantity and threshold written the reader's way."""
        self.ensure_one()
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        number = self.env["recurring.invoicing"]._usage_number
        return {
            "quantity": number(lang, self.usage_alert_quantity),
            "threshold": number(lang, self.usage_alert_threshold),
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_usage_events(self):
        self.env["usage.event"]._check_no_events(
            "contract_line_id",
            self,
            self.env._("A contract line that received usage events cannot be deleted."),
        )
