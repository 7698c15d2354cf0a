# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDunningLevelsInstall(TransactionCase):
    """What the addon installs: models, groups, menus, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(
            cls.env, login="dl_user", groups="dunning_levels.group_dunning_user"
        )
        cls.manager = new_test_user(
            cls.env, login="dl_manager", groups="dunning_levels.group_dunning_manager"
        )

    def _policy(self, levels, **values):
        return self.env["dunning.policy"].create(
            dict(
                name="Standard",
                level_ids=[Command.create(level) for level in levels],
                **values,
            )
        )

    def test_groups_in_privilege(self):
        privilege = self.env.ref("dunning_levels.res_groups_privilege_dunning")
        user_group = self.env.ref("dunning_levels.group_dunning_user")
        manager_group = self.env.ref("dunning_levels.group_dunning_manager")
        self.assertEqual(privilege.group_ids, user_group | manager_group)
        self.assertIn(user_group, manager_group.implied_ids)

    def test_manager_sees_the_configuration_menus(self):
        Menu = self.env["ir.ui.menu"]
        policy_menu = self.env.ref("dunning_levels.dunning_policy_menu")
        rate_menu = self.env.ref("dunning_levels.dunning_rate_menu")
        manager_menus = Menu.with_user(self.manager)._visible_menu_ids()
        self.assertTrue({policy_menu.id, rate_menu.id} <= manager_menus)
        controller_menus = Menu.with_user(self.controller)._visible_menu_ids()
        self.assertNotIn(policy_menu.id, controller_menus)
        run_menu = self.env.ref("dunning_levels.dunning_run_menu")
        self.assertIn(run_menu.id, controller_menus)
        # core's Configuration menu stays for accounting administrators
        core = self.env.ref("account.menu_finance_configuration")
        self.assertEqual(core.group_ids, self.env.ref("account.group_account_manager"))
        self.assertNotIn(core.id, manager_menus)

    def test_access_rights(self):
        policy = self._policy([{"sequence": 1, "name": "Reminder", "delay_days": 10}])
        self.assertEqual(policy.with_user(self.controller).level_count, 1)
        with self.assertRaises(AccessError):
            self.env["dunning.policy"].with_user(self.controller).create(
                {"name": "Forbidden"}
            )
        with self.assertRaises(AccessError):
            self.env.ref("account_invoice_fr.dunning_rate_2026_h1").with_user(
                self.controller
            ).write({"ecb_rate": 1.0})

    def test_level_number_unique_per_policy(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._policy(
                [
                    {"sequence": 1, "name": "First", "delay_days": 5},
                    {"sequence": 1, "name": "Again", "delay_days": 15},
                ]
            )

    def test_levels_must_be_reached_later(self):
        with self.assertRaises(ValidationError):
            self._policy(
                [
                    {"sequence": 1, "name": "First", "delay_days": 15},
                    {"sequence": 2, "name": "Second", "delay_days": 5},
                ]
            )

    def test_formal_notice_is_the_last_level(self):
        with self.assertRaises(ValidationError):
            self._policy(
                [
                    {
                        "sequence": 1,
                        "name": "Notice",
                        "delay_days": 30,
                        "formal_notice": True,
                    },
                    {"sequence": 2, "name": "After", "delay_days": 45},
                ]
            )

    def test_level_needs_a_channel(self):
        with self.assertRaises(ValidationError):
            self._policy(
                [
                    {
                        "sequence": 1,
                        "name": "Silent",
                        "delay_days": 5,
                        "channel_email": False,
                    }
                ]
            )
