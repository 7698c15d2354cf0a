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

    def test_default_policy_shipped_for_every_company(self):
        """Consolidation is on out of the box: the companies present at
        install and those created later each have a monthly policy."""
        company_c = self.env["res.company"].create({"name": "Consolidation Co C"})
        for company in self.env["res.company"].search([]) | company_c:
            policy = company.consolidation_policy_id
            self.assertTrue(policy, company.name)
            self.assertEqual(policy.company_id, company)
            self.assertEqual(policy.billing_cycle, "month")
            self.assertTrue(policy.active)
        self.assertNotEqual(
            company_c.consolidation_policy_id,
            self.company_b.consolidation_policy_id,
        )

    def test_default_policy_named_in_the_company_language(self):
        self._load_french()
        company = self.env["res.company"].create(
            {"name": "Société Consolidée", "partner_id": self._fr_partner().id}
        )
        self.assertEqual(company.partner_id.lang, "fr_FR")
        self.assertEqual(
            self.env(context={"lang": "fr_FR"})._("Monthly consolidation"),
            "Consolidation mensuelle",
        )
        policy = company.consolidation_policy_id
        self.assertEqual(
            policy.with_context(lang="fr_FR").name, "Consolidation mensuelle"
        )
        self.assertEqual(
            policy.with_context(lang="en_US").name, "Monthly consolidation"
        )

    def _load_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "consolidated_invoice")]
        )._load_module_terms(["consolidated_invoice"], ["fr_FR"], overwrite=True)

    def _fr_partner(self):
        return self.env["res.partner"].create(
            {"name": "Société Consolidée", "lang": "fr_FR", "is_company": True}
        )

    def test_existing_policy_kept(self):
        policy = self.env["consolidation.policy"].create({"name": "Mine"})
        self.env.company.consolidation_policy_id = policy
        self.env["res.company"]._create_default_consolidation_policies()
        self.assertEqual(self.env.company.consolidation_policy_id, policy)

    def test_setting_is_labelled(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertRegex(
            arch,
            r'<label[^>]*for="consolidation_policy_id"[^>]*string="Default policy"',
        )
