# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestBillingSettings(RecurringBillingCommon):
    """Billing managers change the billing settings their group promises,
    without being system administrators, and nothing else of the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.manager = new_test_user(
            cls.env(su=True),
            login="billing_manager",
            groups="recurring_billing.group_billing_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def test_manager_reaches_and_saves_the_settings(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        menu = self.env.ref("recurring_billing.recurring_billing_settings_menu")
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(menu.parent_id.id, visible)
        company_name = self.env.company.name
        settings = self.env["recurring.billing.settings"].with_user(self.manager)
        with Form(settings) as form:
            self.assertEqual(
                form.recurring_proration_method,
                self.env.company.recurring_proration_method,
            )
            form.recurring_rule_id = self.monthly
            form.recurring_proration_method = "30_360"
            form.recurring_auto_post = True
        form.record.action_save()
        company = self.env.company
        self.assertEqual(company.recurring_rule_id, self.monthly)
        self.assertEqual(company.recurring_proration_method, "30_360")
        self.assertTrue(company.recurring_auto_post)
        self.assertEqual(company.name, company_name)

    def test_billing_user_cannot_save(self):
        with self.assertRaises(AccessError):
            self.env["recurring.billing.settings"].with_user(self.billing_user).create(
                {"recurring_proration_method": "none"}
            ).action_save()
        self.assertNotEqual(self.env.company.recurring_proration_method, "none")
