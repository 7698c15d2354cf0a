# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import rates


class DunningRate(models.Model):
    """Half-yearly reference rates for French late-payment penalties.

    Code de commerce L441-10 II: the default penalty rate is the ECB main
    refinancing rate in force on 1 January (first half-year) or 1 July
    (second half-year) plus 10 points; a contractual rate may not be below
    three times the legal interest rate. Values are data, never code.
    """

    _name = "dunning.rate"
    _description = "Late-Payment Reference Rate"
    _order = "date_start desc"
    _rec_name = "date_start"

    date_start = fields.Date(
        string="Half-year from",
        required=True,
        help="1 January or 1 July.",
    )
    date_end = fields.Date(string="Half-year to", compute="_compute_date_end")
    ecb_rate = fields.Float(string="ECB main rate (%)", digits=(5, 2), required=True)
    legal_rate = fields.Float(
        string="Legal interest rate, professional creditors (%)",
        digits=(5, 2),
        required=True,
    )
    penalty_rate = fields.Float(
        string="Default penalty rate (%)",
        digits=(5, 2),
        compute="_compute_rates",
        store=True,
        help="ECB main rate + 10 points.",
    )
    floor_rate = fields.Float(
        string="Minimum contractual rate (%)",
        digits=(5, 2),
        compute="_compute_rates",
        store=True,
        help="Three times the legal interest rate.",
    )
    source = fields.Char(help="Where the figures were published.")

    _date_start_unique = models.Constraint(
        "UNIQUE (date_start)", "There is already a rate for this half-year."
    )
    _date_start_half_year = models.Constraint(
        "CHECK (EXTRACT(DAY FROM date_start) = 1 "
        "AND EXTRACT(MONTH FROM date_start) IN (1, 7))",
        "A half-year starts on 1 January or 1 July.",
    )
    _rates_positive = models.Constraint(
        "CHECK (ecb_rate >= 0 AND legal_rate >= 0)", "Rates cannot be negative."
    )

    @api.depends("date_start")
    def _compute_date_end(self):
        for rate in self:
            start = rate.date_start
            if not start:
                rate.date_end = False
            elif start.month == 1:
                rate.date_end = start.replace(month=6, day=30)
            else:
                rate.date_end = start.replace(month=12, day=31)

    @api.depends("ecb_rate", "legal_rate")
    def _compute_rates(self):
        for rate in self:
            rate.penalty_rate = rate.ecb_rate + 10.0
            rate.floor_rate = rate.legal_rate * 3.0

    def _rate_table(self):
        """Every row of the table as the engine's :class:`RateTable`."""
        return rates.RateTable(
            rates.HalfYearRate.from_start(
                row.date_start, row.ecb_rate, row.legal_rate, row.source or ""
            )
            for row in self.search([])
        )
