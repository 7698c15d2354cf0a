# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSettings(DunningCommon):
    """Credit managers change the dunning settings and penalty terms their
    group promises, without being system administrators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            login="credit_manager",
            groups="dunning_levels.group_dunning_manager,account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def test_manager_reaches_and_saves_the_settings(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        menu = self.env.ref("dunning_levels.dunning_settings_menu")
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        other_policy = self._policy(self.env.company, name="Strict")
        with Form(self.env["dunning.settings"].with_user(self.manager)) as form:
            form.early_payment_discount_terms = "2 % à 8 jours"
            form.dunning_policy_id = other_policy
        form.record.action_save()
        company = self.env.company
        self.assertEqual(company.early_payment_discount_terms, "2 % à 8 jours")
        self.assertEqual(company.dunning_policy_id, other_policy)

    def test_the_company_checks_still_apply(self):
        settings = (
            self.env["dunning.settings"]
            .with_user(self.manager)
            .create({"late_payment_rate_type": "contract", "late_payment_rate": 0.0})
        )
        with self.assertRaises(ValidationError):
            settings.action_save()

    def test_controller_cannot_save(self):
        with self.assertRaises(AccessError):
            self.env["dunning.settings"].with_user(self.controller).create(
                {"late_payment_rate_type": "legal"}
            ).action_save()
