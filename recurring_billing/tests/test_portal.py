# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestContractPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Portal Customer"})
        cls.other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.portal_user = new_test_user(
            cls.env,
            login="portal_customer",
            password="portal_customer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        rule = cls.env["recurring.rule"].create({"name": "Portal monthly"})
        product = cls.env["product.product"].create(
            {"name": "Portal Hosting", "type": "service", "list_price": 42.0}
        )
        cls.mine, cls.theirs = cls.env["recurring.contract"].create(
            [
                {
                    "partner_id": partner.id,
                    "description": plan,
                    "date_start": "2026-01-01",
                    "rule_id": rule.id,
                    "line_ids": [Command.create({"product_id": product.id})],
                }
                for partner, plan in ((cls.customer, "Plan A"), (cls.other, "Plan B"))
            ]
        )
        (cls.mine | cls.theirs).action_activate()

    def test_customer_sees_only_their_contracts(self):
        self.authenticate("portal_customer", "portal_customer")
        page = self.url_open("/my/contracts")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.mine.name, page.text)
        self.assertIn("Plan A", page.text)
        self.assertNotIn("Plan B", page.text)
        detail = self.url_open(f"/my/contracts/{self.mine.id}")
        self.assertIn("Portal Hosting", detail.text)
        # another customer's contract redirects to /my
        other = self.url_open(f"/my/contracts/{self.theirs.id}")
        self.assertNotIn("Plan B", other.text)
        self.assertFalse(
            self.env["recurring.contract"]
            .with_user(self.portal_user)
            .search([("id", "=", self.theirs.id)])
        )


@tagged("post_install", "-at_install")
class TestContractPortalPage(RecurringBillingCommon, HttpCase):
    """The customer's contract page: its dates and its invoices, in words the
    back office uses too ("Contracts")."""

    @classmethod
    def _setup_billing_data(cls):
        cls.portal_user = new_test_user(
            cls.env,
            login="portal_partner_a",
            password="portal_partner_a",
            groups="base.group_portal",
            partner_id=cls.partner_a.id,
        )

    def test_contract_page_shows_dates_and_invoices(self):
        contract = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            date_end="2026-12-31",
            auto_renew=True,
            renewal_months=12,
            notice_days=30,
        )
        invoice = self._bill("2026-01-01")
        invoice.action_post()
        draft = self._bill("2026-02-01")
        self.assertEqual(draft.state, "draft")
        self.authenticate("portal_partner_a", "portal_partner_a")
        page = self.url_open(f"/my/contracts/{contract.id}")
        self.assertEqual(page.status_code, 200)
        html = page.text
        self.assertIn(f'href="/my/invoices/{invoice.id}?access_token=', html)
        self.assertIn(invoice.name, html)
        self.assertNotIn(f"/my/invoices/{draft.id}", html)
        self.assertIn("12/31/2026", html)  # end date
        self.assertIn("12/01/2026", html)  # notice deadline
        self.assertIn("automatic", html)
        self.assertIn('<a href="/my/contracts">Contracts</a>', html)
        self.assertNotIn("Subscription", html)
        # the invoice is no breadcrumb of the contract page
        self.assertNotIn(
            f'<li class="breadcrumb-item active">\n                {invoice.name}', html
        )
        listing = self.url_open("/my/contracts").text
        self.assertIn("Contracts", listing)
        self.assertNotIn("Subscription", listing)
        home = self.url_open("/my/home").text
        self.assertIn("Your Contracts", home)
        # the invoice link opens for the customer
        self.assertEqual(self.url_open(f"/my/invoices/{invoice.id}").status_code, 200)
