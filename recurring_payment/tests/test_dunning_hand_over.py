# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""With dunning_levels installed: a charge in progress is not reminded, an
invoice whose retries are exhausted is (level 1). Skipped without it."""

import unittest

from freezegun import freeze_time

from odoo.fields import Command
from odoo.modules.module import get_module_path
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import get_db_name

if get_module_path("dunning_levels", display_warning=False):
    from odoo.addons.dunning_levels.tests.common import DunningCommon
else:  # pragma: no cover
    DunningCommon = unittest.TestCase


@tagged("post_install", "-at_install")
class TestDunningHandOver(DunningCommon):
    @classmethod
    def setUpClass(cls):
        if DunningCommon is unittest.TestCase:
            raise unittest.SkipTest("dunning_levels is not in the addons path")
        # before the set-up, which reads dunning_levels' records
        if "dunning.policy" not in Registry(get_db_name()):
            raise unittest.SkipTest("dunning_levels is not installed")
        super().setUpClass()
        pm_demo = cls.env.ref("payment_demo.payment_method_demo")
        provider = cls.env["payment.provider"].create(
            {
                "name": "Demo",
                "code": "demo",
                "state": "test",
                "company_id": cls.env.company.id,
                "payment_method_ids": [Command.set(pm_demo.ids)],
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        cls.tokens = {
            state: cls.env["payment.token"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": pm_demo.id,
                    "partner_id": cls.customer.id,
                    "provider_ref": f"demo-{state}",
                    "payment_details": state,
                    "demo_simulated_state": state,
                }
            )
            for state in ("pending", "error")
        }

    def _collect(self, day):
        with freeze_time(day), self._no_commit():
            self.env["recurring.payment.attempt"]._cron_collect()

    def _collected_invoice(self, state):
        with freeze_time("2026-01-01"):
            return self._invoice(
                self.customer,
                800.0,
                "2026-01-01",
                "2026-01-31",
                payment_token_id=self.tokens[state].id,
            )

    def test_pending_charge_is_not_reminded(self):
        invoice = self._collected_invoice("pending")
        self._collect("2026-01-01")
        self.assertEqual(invoice.collection_state, "pending")
        reminder = self._reminder(self._run("2026-03-15"))
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.skip_reason, "direct_debit")

    def test_exhausted_retries_go_to_dunning_level_1(self):
        invoice = self._collected_invoice("error")
        for day in ("2026-01-01", "2026-01-04", "2026-01-08", "2026-01-15"):
            self._collect(day)
        self.assertEqual(invoice.collection_state, "failed")
        self.assertEqual(len(invoice.payment_attempt_ids), 4)
        reminder = self._reminder(self._run("2026-02-06"))
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.level_1)
        self.assertEqual(reminder.line_ids.move_id, invoice)
