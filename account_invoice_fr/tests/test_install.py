# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import InvoiceFrCommon


@tagged("post_install", "-at_install")
class TestInvoiceFrInstall(InvoiceFrCommon):
    """What the addon installs: the rate table, its menu and access, the
    invoice fields and their place on the form and the PDF."""

    def test_seeded_rates(self):
        rate = self.env.ref("account_invoice_fr.dunning_rate_2025_h2")
        self.assertAlmostEqual(rate.penalty_rate, 12.15)
        self.assertAlmostEqual(rate.floor_rate, 8.28)
        self.assertEqual(str(rate.date_end), "2025-12-31")
        rate = self.env.ref("account_invoice_fr.dunning_rate_2026_h1")
        self.assertAlmostEqual(rate.penalty_rate, 12.15)
        self.assertAlmostEqual(rate.floor_rate, 7.86)
        self.assertEqual(str(rate.date_end), "2026-06-30")

    def test_rate_starts_a_half_year(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["dunning.rate"].create(
                {"date_start": "2026-03-01", "ecb_rate": 2.0, "legal_rate": 3.0}
            )

    def test_accountants_read_the_rates_and_managers_write_them(self):
        rate = self.env.ref("account_invoice_fr.dunning_rate_2026_h1")
        clerk = new_test_user(
            self.env, login="fr_clerk", groups="account.group_account_invoice"
        )
        manager = new_test_user(
            self.env, login="fr_manager", groups="account.group_account_manager"
        )
        self.assertAlmostEqual(rate.with_user(clerk).ecb_rate, 2.15)
        with self.assertRaises(AccessError):
            rate.with_user(clerk).write({"ecb_rate": 1.0})
        rate.with_user(manager).write({"source": "checked"})
        menu = self.env.ref("account_invoice_fr.dunning_rate_menu")
        visible = self.env["ir.ui.menu"].with_user(manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_invoice_form_shows_the_buyer_references_and_periods(self):
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        for name in (
            "buyer_reference",
            "purchase_order_reference",
            "service_start_date",
            "service_end_date",
        ):
            self.assertIn(f'name="{name}"', arch)

    def test_invoice_period_spans_its_lines(self):
        invoice = self._invoice(
            self.partner_a,
            100.0,
            "2026-03-31",
            "2026-04-30",
            buyer_reference="SERVICE-42",
            purchase_order_reference="PO-2026-17",
            line={"service_start_date": "2026-03-01", "service_end_date": "2026-03-31"},
        )
        invoice.button_draft()
        invoice.write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Support",
                            "quantity": 1,
                            "price_unit": 10.0,
                            "tax_ids": [],
                            "service_start_date": "2026-02-15",
                            "service_end_date": "2026-03-14",
                        }
                    ),
                    Command.create(
                        {"name": "Set-up", "quantity": 1, "price_unit": 5.0}
                    ),
                ]
            }
        )
        self.assertEqual(str(invoice.service_start_date), "2026-02-15")
        self.assertEqual(str(invoice.service_end_date), "2026-03-31")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Billing Period", html)
        self.assertIn("SERVICE-42", html)
        self.assertIn("PO-2026-17", html)
        self.assertEqual(html.count("Service period:"), 2)

    def test_invoice_without_service_dates_has_no_period(self):
        invoice = self._invoice(self.partner_a, 100.0, "2026-03-31", "2026-04-30")
        self.assertFalse(invoice.service_start_date)
        self.assertFalse(invoice.service_end_date)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertNotIn("Billing Period", html)
        self.assertNotIn("Service period:", html)

    def test_service_period_cannot_end_before_it_starts(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._invoice(
                self.partner_a,
                100.0,
                "2026-03-31",
                "2026-04-30",
                line={
                    "service_start_date": "2026-03-31",
                    "service_end_date": "2026-03-01",
                },
            )

    def test_sale_journal_is_the_one_of_a_new_invoice(self):
        company = self.env.company
        invoice = self._invoice(self.partner_a, 100, "2026-03-01", "2026-03-31")
        self.assertEqual(company._get_sale_journal(), invoice.journal_id)
        self.assertEqual(invoice.journal_id.type, "sale")
        usd = self.setup_other_currency("USD")
        usd_journal = self.env["account.journal"].create(
            {
                "name": "Sales in USD",
                "code": "SUSD",
                "type": "sale",
                "currency_id": usd.id,
                "company_id": company.id,
            }
        )
        self.assertEqual(company._get_sale_journal(usd), usd_journal)
        self.assertEqual(
            company._get_sale_journal(company.currency_id), invoice.journal_id
        )

    def test_company_without_sale_journal_has_none(self):
        bare = self.env["res.company"].create({"name": "No chart yet"})
        self.assertFalse(bare._get_sale_journal())
        self.assertFalse(self.env["res.company"]._get_sale_journal())
