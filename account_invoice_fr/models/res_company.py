# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import rates, terms


class ResCompany(models.Model):
    """The company's late-payment terms: one source of truth (L441-9, L441-10).

    They feed the invoice mentions, the Factur-X notes PMT/PMD/AAB and the
    penalties and indemnity of the reminders; and the VAT-on-debits option
    (CGI art. 269-2-c) the invoices state.
    """

    _inherit = "res.company"

    late_payment_rate_type = fields.Selection(
        [
            ("legal", "Legal default (ECB main rate + 10 points)"),
            ("contract", "Contractual rate"),
        ],
        string="Late-payment penalty rate",
        default="legal",
        required=True,
        help="The legal default changes every half-year with the ECB main "
        "refinancing rate; a contractual rate is fixed by the general terms of "
        "sale and may not be below three times the legal interest rate.",
    )
    late_payment_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(5, 2),
        help="Annual percentage agreed in the general terms of sale.",
    )
    late_payment_indemnity = fields.Monetary(
        string="Fixed recovery indemnity",
        currency_field="late_payment_indemnity_currency_id",
        default=40.0,
        help="Due per invoice paid late (Code de commerce D441-5): 40 €.",
    )
    late_payment_indemnity_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_late_payment_indemnity_currency_id",
        help="The indemnity is a euro amount whatever the company currency.",
    )
    vat_on_debits = fields.Boolean(
        string="VAT on debits",
        help="The company opted for paying VAT on debits (CGI art. 269-2-c): "
        "its invoices state it (Factur-X BT-8).",
    )
    early_payment_discount_terms = fields.Char(
        translate=True,
        help="Printed on invoices; leave empty to state that no discount is "
        "granted for early payment.",
    )

    def _compute_late_payment_indemnity_currency_id(self):
        euro = self.env.ref("base.EUR")
        for company in self:
            company.late_payment_indemnity_currency_id = euro

    @api.constrains("late_payment_rate_type", "late_payment_rate")
    def _check_late_payment_rate(self):
        table = self.env["dunning.rate"].sudo()._rate_table()
        for company in self.filtered(lambda c: c.late_payment_rate_type == "contract"):
            if company.late_payment_rate <= 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: enter the contractual late-payment rate.",
                        company=company.name,
                    )
                )
            violations = rates.floor_violations(company.late_payment_rate, table)
            if violations:
                row = violations[0]
                raise ValidationError(
                    self.env._(
                        "%(company)s: the contractual late-payment rate of "
                        "%(rate)s %% is below the legal minimum of %(floor)s %% "
                        "for %(half_year)s (three times the legal interest rate "
                        "of %(legal)s %%, Code de commerce L441-10).",
                        company=company.name,
                        rate=company.late_payment_rate,
                        floor=row.floor_rate,
                        half_year=row.label,
                        legal=row.legal_rate_professional,
                    )
                )

    def _late_payment_rate_policy(self):
        """The company's rate setting as a :class:`~..tools.rates.RatePolicy`."""
        self.ensure_one()
        if self.late_payment_rate_type == "contract":
            return rates.RatePolicy.contractual(self.late_payment_rate)
        return rates.RatePolicy.legal_default()

    def _late_payment_rate_of(self):
        """The applied penalty rate of the half-year of a day, as a function of
        the day (:func:`~..tools.rates.applied_rate` with the rate table and
        the company's policy): what the reminders' penalties need."""
        self.ensure_one()
        return functools.partial(
            rates.applied_rate,
            table=self.env["dunning.rate"].sudo()._rate_table(),
            policy=self._late_payment_rate_policy(),
        )

    def _get_sale_journal(self, currency=None):
        """The journal of the company's customer invoices, as core picks it
        for a new one (``account.move._search_default_journal``: the first
        sale journal of the company, one in ``currency`` first when it is a
        foreign currency); an empty recordset when the company has none."""
        if not self:
            return self.env["account.journal"]
        self.ensure_one()
        invoice = (
            self.env["account.move"]
            .with_company(self)
            .new(
                {
                    "move_type": "out_invoice",
                    "company_id": self.id,
                    "currency_id": currency.id if currency else False,
                }
            )
        )
        try:
            return invoice._search_default_journal()
        except UserError:
            return self.env["account.journal"]

    def _invoices_under_french_law(self):
        """Whether the company invoices under French law (L441-9 mentions)."""
        self.ensure_one()
        return "FR" in (self.country_id.code, self.account_fiscal_country_id.code)

    def _get_late_payment_terms(self, date):
        """The late-payment terms in force on ``date`` (a date): the rule,
        never an error.

        A dict with ``penalty_rate`` (Decimal, annual %; None while the rate
        table lacks the half-year of the legal default), ``penalty_rate_basis``
        (the rule in French), ``indemnity`` (Decimal, euros) and
        ``early_payment_discount`` (text, empty for none): the keyword
        arguments of Factur-X ``legal_notes``. Posting and printing never wait
        for a rate-table row; only penalties need the figures
        (``dunning.evaluation``).
        """
        self.ensure_one()
        date = fields.Date.to_date(date)
        table = self.env["dunning.rate"].sudo()._rate_table()
        return terms.late_payment_terms(
            date,
            table,
            self._late_payment_rate_policy(),
            indemnity=self.late_payment_indemnity,
            early_payment_discount=self.early_payment_discount_terms or "",
        )

    def _late_payment_missing_rate_message(self, year, half):
        """What to enter, and where it is published, for a missing half-year."""
        return self.env._(
            "No late-payment reference rates for %(half_year)s: penalties for "
            "the days late in that half-year wait. Enter in Invoicing > "
            "Configuration > Invoicing > Late-Payment Rates the ECB main "
            "refinancing rate in force on %(start)s %(year)s (ecb.europa.eu or "
            "banque-france.fr) and the legal interest rate for professional "
            "creditors of that half-year (arrêté published in the Journal "
            "officiel, legifrance.gouv.fr).",
            half_year=rates.half_year_label(year, half),
            start=self.env._("1 January") if half == 1 else self.env._("1 July"),
            year=year,
        )
