# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRecurringBillingInstall(TransactionCase):
    """What the addon installs: model, groups, menus, access, rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Billing Co B"})
        cls.billing_user = new_test_user(
            cls.env, login="rb_user", groups="recurring_billing.group_billing_user"
        )
        cls.billing_manager = new_test_user(
            cls.env,
            login="rb_manager",
            groups="recurring_billing.group_billing_manager",
        )

    def test_groups_in_privilege(self):
        privilege = self.env.ref("recurring_billing.res_groups_privilege_billing")
        user_group = self.env.ref("recurring_billing.group_billing_user")
        manager_group = self.env.ref("recurring_billing.group_billing_manager")
        self.assertEqual(privilege.group_ids, user_group | manager_group)
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertIn(
            self.env.ref("account.group_account_invoice"), user_group.implied_ids
        )
        self.assertIn(manager_group, self.env.ref("base.user_admin").group_ids)

    def test_manager_sees_the_configuration_menu(self):
        menu = self.env.ref("recurring_billing.recurring_rule_menu")
        manager_menus = (
            self.env["ir.ui.menu"].with_user(self.billing_manager)._visible_menu_ids()
        )
        user_menus = (
            self.env["ir.ui.menu"].with_user(self.billing_user)._visible_menu_ids()
        )
        self.assertIn(menu.id, manager_menus)
        self.assertIn(menu.parent_id.parent_id.id, manager_menus)
        self.assertNotIn(menu.id, user_menus)
        self.assertIn(
            self.env.ref("recurring_billing.recurring_contract_menu").id, user_menus
        )

    def test_core_configuration_menu_is_left_alone(self):
        """The billing configuration is in the addon's own section: core's
        Configuration menu stays for accounting administrators."""
        core = self.env.ref("account.menu_finance_configuration")
        self.assertEqual(core.group_ids, self.env.ref("account.group_account_manager"))
        manager_menus = (
            self.env["ir.ui.menu"].with_user(self.billing_manager)._visible_menu_ids()
        )
        self.assertNotIn(core.id, manager_menus)

    def test_access_rights(self):
        rule = (
            self.env["recurring.rule"]
            .with_user(self.billing_manager)
            .create({"name": "Quarterly", "unit": "quarter", "interval": 1})
        )
        self.assertEqual(rule.with_user(self.billing_user).name, "Quarterly")
        with self.assertRaises(AccessError):
            self.env["recurring.rule"].with_user(self.billing_user).create(
                {"name": "Forbidden"}
            )
        with self.assertRaises(AccessError):
            rule.with_user(self.billing_user).write({"interval": 2})

    def test_interval_constraint(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["recurring.rule"].create({"name": "Never", "interval": 0})

    def test_rules_are_isolated_by_company(self):
        Rule = self.env["recurring.rule"]
        shared = Rule.create({"name": "Shared monthly"})
        own_b = Rule.create({"name": "B monthly", "company_id": self.company_b.id})
        visible = Rule.with_user(self.billing_user).search(
            [("id", "in", (shared | own_b).ids)]
        )
        self.assertEqual(visible, shared)

    def test_description(self):
        rule = self.env["recurring.rule"].create(
            {"name": "Every 3 months", "interval": 3, "unit": "month"}
        )
        self.assertEqual(rule.description, "Every 3 month(s)")
