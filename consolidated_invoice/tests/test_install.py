# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConsolidatedInvoiceInstall(TransactionCase):
    """What the addon installs: model, access, menu, company rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Consolidation Co B"})
        cls.billing_user = new_test_user(
            cls.env, login="ci_user", groups="recurring_billing.group_billing_user"
        )
        cls.billing_manager = new_test_user(
            cls.env,
            login="ci_manager",
            groups="recurring_billing.group_billing_manager",
        )

    def test_menu_under_billing_configuration(self):
        menu = self.env.ref("consolidated_invoice.consolidation_policy_menu")
        self.assertEqual(
            menu.parent_id,
            self.env.ref("recurring_billing.recurring_billing_config_menu"),
        )
        visible = (
            self.env["ir.ui.menu"].with_user(self.billing_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)

    def test_access_rights(self):
        Policy = self.env["consolidation.policy"]
        policy = Policy.with_user(self.billing_manager).create({"name": "Monthly"})
        self.assertEqual(policy.company_id, self.env.company)
        self.assertEqual(policy.with_user(self.billing_user).billing_cycle, "month")
        with self.assertRaises(AccessError):
            Policy.with_user(self.billing_user).create({"name": "Forbidden"})

    def test_billing_manager_sets_the_default_policy(self):
        """The billing settings form (no system rights needed) sets it."""
        policy = self.env["consolidation.policy"].create({"name": "Quarterly"})
        manager = self.billing_manager
        with Form(self.env["recurring.billing.settings"].with_user(manager)) as form:
            form.consolidation_policy_id = policy
        form.record.action_save()
        self.assertEqual(manager.company_id.consolidation_policy_id, policy)

    def test_minimum_amount_not_negative(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["consolidation.policy"].create(
                {"name": "Negative", "minimum_amount": -1}
            )

    def test_send_needs_post(self):
        with Form(self.env["consolidation.policy"]) as form:
            form.name = "Posted and sent"
            form.auto_post = True
            form.auto_send = True
            form.auto_post = False
        self.assertFalse(form.record.auto_send)

    def test_policies_are_isolated_by_company(self):
        Policy = self.env["consolidation.policy"]
        mine = Policy.create({"name": "Mine"})
        other = Policy.create({"name": "Other", "company_id": self.company_b.id})
        visible = Policy.with_user(self.billing_user).search(
            [("id", "in", (mine | other).ids)]
        )
        self.assertEqual(visible, mine)
