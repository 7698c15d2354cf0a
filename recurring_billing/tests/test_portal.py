# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


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
