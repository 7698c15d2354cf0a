# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RecurringMrrReport(models.Model):
    """Monthly recurring revenue, one row per contract line and month of
    service (up to twelve months ahead), for pivots and graphs by month,
    customer and product. Amounts use the lines' current prices.

    MRR is a stock, not a flow: a group holding several months (a customer's
    total across the months of a pivot, the grand total) shows the average
    monthly MRR of those months, never their sum; a group of one month shows
    that month's MRR. A contract that renews automatically and is not
    terminated is projected as renewed: its end date does not stop it here.
    """

    _name = "recurring.mrr.report"
    _description = "Subscription MRR Analysis"
    _auto = False
    _rec_name = "month"
    _order = "month desc"

    month = fields.Date(readonly=True)
    contract_id = fields.Many2one("recurring.contract", readonly=True)
    line_id = fields.Many2one("recurring.contract.line", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    rule_id = fields.Many2one("recurring.rule", string="Recurrence", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(
        [
            ("active", "Active"),
            ("paused", "Paused"),
            ("terminated", "Terminated"),
            ("closed", "Closed"),
        ],
        readonly=True,
    )
    mrr = fields.Monetary(
        string="MRR",
        readonly=True,
        help="Monthly recurring revenue. Over several months: the average month.",
    )
    arr = fields.Monetary(
        string="ARR",
        readonly=True,
        help="Annual recurring revenue (12 × MRR). Over several months: the "
        "average month.",
    )

    # measures that are stocks: averaged over the months of a group
    _STOCK_MEASURES = ("mrr", "arr")

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in self._STOCK_MEASURES and func == "sum":
            return SQL(
                "SUM(%s) / GREATEST(COUNT(DISTINCT %s), 1)",
                self._field_to_sql(self._table, fname, query),
                self._field_to_sql(self._table, "month", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT
                line.id * 100000
                    + EXTRACT(YEAR FROM month.day)::int * 12
                    + EXTRACT(MONTH FROM month.day)::int AS id,
                month.day::date AS month,
                contract.id AS contract_id,
                line.id AS line_id,
                contract.commercial_partner_id AS partner_id,
                line.product_id,
                contract.rule_id,
                contract.company_id,
                contract.currency_id,
                contract.state,
                line.price_subtotal / %(months)s AS mrr,
                line.price_subtotal / %(months)s * 12 AS arr
            FROM recurring_contract_line line
            JOIN recurring_contract contract ON contract.id = line.contract_id
            JOIN recurring_rule rule ON rule.id = contract.rule_id
            CROSS JOIN LATERAL generate_series(
                date_trunc('month', line.date_start),
                date_trunc(
                    'month',
                    LEAST(
                        line.date_end,
                        -- renewing contracts are projected as renewed
                        CASE
                            WHEN contract.auto_renew
                                AND contract.termination_date IS NULL
                            THEN NULL
                            ELSE contract.date_end
                        END,
                        contract.termination_date,
                        CURRENT_DATE + INTERVAL '12 months'
                    )
                ),
                INTERVAL '1 month'
            ) AS month(day)
            WHERE contract.state IN ('active', 'paused', 'terminated', 'closed')
            """,
            months=SQL(
                "(CASE rule.unit WHEN 'day' THEN 12.0 / 365 "
                "WHEN 'week' THEN 12.0 / 52 WHEN 'month' THEN 1 "
                "WHEN 'quarter' THEN 3 WHEN 'semester' THEN 6 ELSE 12 END "
                "* rule.interval)"
            ),
        )
