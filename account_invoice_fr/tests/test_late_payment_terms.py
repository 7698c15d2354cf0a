# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import html
from decimal import Decimal

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import InvoiceFrCommon


@tagged("post_install", "-at_install")
class TestLatePaymentTerms(InvoiceFrCommon):
    """The company's late-payment terms: the rule on every invoice, the
    figures only where penalties are computed."""

    def _invoice_html(self, invoice):
        return html.unescape(
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )

    def test_legal_default_of_the_half_year(self):
        company = self.env.company
        self.assertEqual(company.late_payment_rate_type, "legal")
        self.assertEqual(company.late_payment_indemnity, 40.0)
        terms = company._get_late_payment_terms("2025-11-15")
        self.assertEqual(
            terms,
            {
                "penalty_rate": Decimal("12.15"),
                "penalty_rate_basis": "taux de refinancement de la BCE (2,15 %) "
                "majoré de 10 points, 2e semestre 2025",
                "indemnity": Decimal("40.0"),
                "early_payment_discount": "",
            },
        )
        basis = company._get_late_payment_terms("2026-02-01")["penalty_rate_basis"]
        self.assertTrue(basis.endswith("1er semestre 2026"))

    def test_contractual_rate_and_discount(self):
        company = self.env.company
        company.write(
            {
                "late_payment_rate_type": "contract",
                "late_payment_rate": 9.0,
                "early_payment_discount_terms": "1 % si paiement sous 8 jours",
            }
        )
        terms = company._get_late_payment_terms("2026-03-01")
        self.assertEqual(terms["penalty_rate"], Decimal("9.0"))
        self.assertIn("taux contractuel", terms["penalty_rate_basis"])
        self.assertEqual(
            terms["early_payment_discount"], "1 % si paiement sous 8 jours"
        )

    def test_contractual_rate_below_the_floor(self):
        # 8.28 % is the floor of H2 2025 (3 × 2.76 %).
        with self.assertRaisesRegex(ValidationError, "8.28"):
            self.env.company.write(
                {"late_payment_rate_type": "contract", "late_payment_rate": 8.0}
            )

    def test_new_half_year_is_entered_even_above_the_contractual_rate(self):
        """The published figures are always entered; the floor then applies
        to that half-year's penalties (see the dunning tests)."""
        self.env.company.write(
            {"late_payment_rate_type": "contract", "late_payment_rate": 9.0}
        )
        row = self._rate("2026-07-01", 2.0, 3.5)
        self.assertEqual(row.floor_rate, 10.5)
        terms = self.env.company._get_late_payment_terms("2026-08-01")
        self.assertEqual(terms["penalty_rate"], Decimal("10.5"))

    def test_invoice_mentions_a_contractual_rate_or_its_floor(self):
        self.env.company.write(
            {"late_payment_rate_type": "contract", "late_payment_rate": 9.0}
        )
        self._rate("2026-07-01", 2.0, 3.5)  # floor 10.5 % in H2 2026
        before = self._invoice(self.partner_a, 100.0, "2026-03-15", "2026-04-14")
        self.assertIn(
            "without any reminder, at the contractual annual rate of 9.00 %.",
            self._invoice_html(before),
        )
        after = self._invoice(self.partner_a, 100.0, "2026-08-15", "2026-09-14")
        self.assertIn(
            "without any reminder, at the annual rate of 10.50 %, the legal minimum "
            "of three times the legal interest rate.",
            self._invoice_html(after),
        )

    def test_missing_half_year_states_the_rule(self):
        terms = self.env.company._get_late_payment_terms("2027-03-01")
        self.assertIsNone(terms["penalty_rate"])
        self.assertEqual(
            terms["penalty_rate_basis"],
            "taux de refinancement de la BCE majoré de 10 points",
        )

    def test_settings_form(self):
        self.env["res.config.settings"].create(
            {
                "late_payment_rate_type": "contract",
                "late_payment_rate": 10.5,
                "early_payment_discount_terms": "Pas d'escompte",
            }
        ).execute()
        self.assertEqual(self.env.company.late_payment_rate, 10.5)
        self.assertEqual(
            self.env.company._get_late_payment_terms("2026-01-10")["penalty_rate"],
            Decimal("10.5"),
        )

    def test_invoice_pdf_mentions_in_english(self):
        invoice = self._invoice(self.partner_a, 100.0, "2026-01-15", "2026-02-14")
        text = self._invoice_html(invoice)
        self.assertIn("late_payment_mentions", text)
        self.assertIn("No discount for early payment.", text)
        self.assertIn(
            "Late-payment penalties are due from the day after the due date, "
            "without any reminder, at the European Central Bank's main refinancing "
            "rate plus 10 percentage points (12.15 % for the half-year of the "
            "invoice date).",
            text,
        )
        self.assertIn(
            "Fixed indemnity for recovery costs in case of late payment: "
            "40.00\xa0€ (Code de commerce, articles L441-10 and D441-5).",
            text,
        )
        bill = self._invoice(
            self.partner_a, 100.0, "2026-01-15", "2026-02-14", move_type="in_invoice"
        )
        self.assertNotIn("late_payment_mentions", self._invoice_html(bill))

    def test_invoice_pdf_mentions_in_french(self):
        self._french(self.partner_a)
        invoice = self._invoice(self.partner_a, 100.0, "2026-01-15", "2026-02-14")
        text = self._invoice_html(invoice)
        self.assertIn("Pas d'escompte pour paiement anticipé.", text)
        self.assertIn(
            "Pénalités de retard exigibles dès le lendemain de la date d'échéance, "
            "sans qu'un rappel soit nécessaire, au taux de refinancement de la BCE "
            "majoré de 10 points (soit 12,15 % pour le semestre de la date de "
            "facture).",
            text,
        )
        self.assertIn(
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de "
            "paiement : 40,00\xa0€ (articles L441-10 et D441-5 du Code de "
            "commerce).",
            text,
        )
        self.assertNotIn("dele", text)

    def test_invoice_pdf_without_rate_row(self):
        self._french(self.partner_a)
        invoice = self._invoice(self.partner_a, 100.0, "2027-01-15", "2027-02-14")
        text = self._invoice_html(invoice)
        self.assertIn(
            "sans qu'un rappel soit nécessaire, au taux de refinancement de la BCE "
            "majoré de 10 points.",
            text,
        )

    def test_indemnity_in_euros_for_a_company_in_dollars(self):
        """The €40 is a euro amount whatever the invoice currency."""
        usd = self.env.ref("base.USD")
        usd.active = True
        invoice = self._invoice(
            self.partner_a, 100.0, "2026-01-15", "2026-02-14", currency_id=usd.id
        )
        text = self._invoice_html(invoice)
        self.assertIn("late payment: 40.00\xa0€ (Code de commerce", text)
        self.assertNotIn("late payment: $", text)

    def test_no_mention_for_a_us_company(self):
        company = self.env.company
        self.change_company_country(company, self.env.ref("base.us"))
        invoice = self._invoice(self.partner_a, 100.0, "2026-01-15", "2026-02-14")
        text = self._invoice_html(invoice)
        self.assertNotIn("late_payment_mentions", text)
        self.assertNotIn("Late-payment penalties", text)
        # under French law by its fiscal country alone
        company.account_fiscal_country_id = self.env.ref("base.fr")
        self.assertIn("late_payment_mentions", self._invoice_html(invoice))
