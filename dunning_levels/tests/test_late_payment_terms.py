# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestLatePaymentTerms(DunningCommon):
    """The company's late-payment terms: one setting, three uses."""

    def test_legal_default_of_the_half_year(self):
        company = self.env.company
        self.assertEqual(company.late_payment_rate_type, "legal")
        self.assertEqual(company.late_payment_indemnity, 40.0)
        terms = company._get_late_payment_terms("2025-11-15")
        self.assertEqual(
            terms,
            {
                "penalty_rate": Decimal("12.15"),
                "penalty_rate_basis": "taux BCE 2,15 % + 10 points, 2e semestre 2025",
                "indemnity": Decimal("40.0"),
                "early_payment_discount": "",
            },
        )
        basis = company._get_late_payment_terms("2026-02-01")["penalty_rate_basis"]
        self.assertEqual(basis, "taux BCE 2,15 % + 10 points, 1er semestre 2026")

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

    def test_new_half_year_cannot_outlaw_the_contractual_rate(self):
        self.env.company.write(
            {"late_payment_rate_type": "contract", "late_payment_rate": 9.0}
        )
        with self.assertRaises(ValidationError):
            self.env["dunning.rate"].sudo().create(
                {"date_start": "2026-07-01", "ecb_rate": 2.0, "legal_rate": 3.5}
            )

    def test_missing_half_year(self):
        with self.assertRaisesRegex(UserError, "H1 2027"):
            self.env.company._get_late_payment_terms("2027-03-01")

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

    def test_invoice_pdf_mentions(self):
        invoice = self._invoice(self.partner_a, 100.0, "2026-01-15", "2026-02-14")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("late_payment_mentions", html)
        self.assertIn("12.15", html)
        self.assertIn("No discount for early payment.", html)
        self.assertIn("D441-5", html)
        bill = self._invoice(
            self.partner_a, 100.0, "2026-01-15", "2026-02-14", move_type="in_invoice"
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", bill.ids)[0]
            .decode()
        )
        self.assertNotIn("late_payment_mentions", html)

    def test_invoice_pdf_without_rate_row(self):
        invoice = self._invoice(self.partner_a, 100.0, "2027-01-15", "2027-02-14")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("the ECB main refinancing rate + 10 points", html)
