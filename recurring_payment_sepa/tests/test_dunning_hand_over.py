# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""With dunning_levels installed: a debit waiting for its date or in a
payment order is not reminded; a debit the bank returned for good is (level
1). Skipped without it."""

import unittest

from freezegun import freeze_time

from odoo.modules.module import get_module_path
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import get_db_name

from .common import SepaMixin

if get_module_path("dunning_levels", display_warning=False):
    from odoo.addons.dunning_levels.tests.common import DunningCommon
else:  # pragma: no cover
    DunningCommon = unittest.TestCase


@tagged("post_install", "-at_install")
class TestSepaDunningHandOver(SepaMixin, DunningCommon):
    @classmethod
    def setUpClass(cls):
        if DunningCommon is unittest.TestCase:
            raise unittest.SkipTest("dunning_levels is not in the addons path")
        # before the set-up, which reads dunning_levels' records
        if "dunning.policy" not in Registry(get_db_name()):
            raise unittest.SkipTest("dunning_levels is not installed")
        super().setUpClass()
        cls.payment_mode = cls._sepa_setup(
            cls.env.company, cls.company_data, "FR7630006000011234567890189"
        )
        cls.mandate = cls._mandate(
            cls.customer, "FR1420041010050500013M02606", "UMR-DUNNING"
        )

    def _debited_invoice(self):
        with freeze_time("2026-01-01"):
            invoice = self._invoice(
                self.customer,
                800.0,
                "2026-01-01",
                "2026-01-31",
                payment_mode_id=self.payment_mode.id,
                mandate_id=self.mandate.id,
            )
        self.assertEqual(invoice.collection_state, "scheduled")
        self._order_debits("2026-01-31")
        self.assertEqual(invoice.collection_state, "pending")
        return invoice

    def test_debit_in_a_payment_order_is_not_reminded(self):
        self._debited_invoice()
        reminder = self._reminder(self._run("2026-02-06"))
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.skip_reason, "direct_debit")

    def test_debit_returned_for_good_goes_to_dunning_level_1(self):
        invoice = self._debited_invoice()
        self._send_order(invoice.payment_attempt_ids.payment_order_id, "2026-01-31")
        with freeze_time("2026-02-02"):
            invoice.payment_attempt_ids.sudo()._sepa_record_return("MD01")
        self.assertEqual(invoice.collection_state, "failed")
        self.assertEqual(invoice.amount_residual, 800.0)
        reminder = self._reminder(self._run("2026-02-06"))
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.level_1)
        self.assertEqual(reminder.line_ids.move_id, invoice)
