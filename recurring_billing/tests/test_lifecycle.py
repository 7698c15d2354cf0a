# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestLifecycle(RecurringBillingCommon):
    def test_activate_needs_lines(self):
        contract = self._contract("2026-01-01", self.monthly_calendar, activate=False)
        contract.line_ids.unlink()
        with self.assertRaises(UserError):
            contract.action_activate()

    def test_pause_and_resume_prepaid(self):
        """Spec example: prepaid, pause Mar 10, resume Apr 20 → credit Mar 10–31
        (22/31 = 70.97), April billed Apr 20–30 (11/30 = 36.67), May full."""
        contract = self._contract("2026-03-01", self.monthly_calendar)
        march = self._bill("2026-03-01")
        with freeze_time("2026-03-10"):
            wizard = Form(
                self.env["recurring.contract.pause.wizard"].with_context(
                    default_contract_id=contract.id
                )
            )
            wizard.date_start = "2026-03-10"
            wizard.date_end = "2026-04-20"
            wizard.reason = "Customer closed for works"
            wizard.save().action_pause()
        self.assertEqual(contract.state, "paused")
        credit = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(credit.reversed_entry_id, march)
        self.assertAlmostEqual(credit.invoice_line_ids.price_unit, 70.97)
        self.assertEqual(str(credit.invoice_line_ids.service_start_date), "2026-03-10")
        self.assertEqual(str(credit.invoice_line_ids.service_end_date), "2026-03-31")
        self.assertEqual(contract.period_ids.state, "credited")
        # nothing while paused
        self.assertFalse(self._bill("2026-04-10"))
        april = self._bill("2026-04-20").invoice_line_ids
        self.assertEqual(str(april.service_start_date), "2026-04-20")
        self.assertAlmostEqual(april.price_unit, 36.67)
        with freeze_time("2026-04-20"):
            self.env["recurring.contract"]._cron_update_states()
        self.assertEqual(contract.state, "active")
        may = self._bill("2026-05-01").invoice_line_ids
        self.assertAlmostEqual(may.price_unit, 100.0)

    def test_resume_by_hand(self):
        contract = self._contract("2026-03-01", self.monthly_calendar)
        with freeze_time("2026-03-05"):
            contract._pause(contract.date_start.replace(day=5), False, "Dispute")
            self.assertEqual(contract.state, "paused")
        with freeze_time("2026-03-20"):
            contract.action_resume()
        self.assertEqual(contract.state, "active")
        # one ledger row per period: March billed for 4 + 12 days of 31
        line = self._bill("2026-03-20").invoice_line_ids
        self.assertEqual(str(line.service_start_date), "2026-03-01")
        self.assertEqual(str(line.service_end_date), "2026-03-31")
        self.assertAlmostEqual(line.price_unit, 51.61)
        self.assertIn("16/31", line.name)

    def test_terminate_prepaid_with_credit(self):
        """Prepaid 100 €, March billed, last day Mar 10 → credit Mar 11–31 =
        21/31 = 67.74, and nothing billed after."""
        contract = self._contract("2026-01-01", self.monthly_calendar, notice_days=0)
        self._bill("2026-03-01")
        with freeze_time("2026-03-05"):
            contract._terminate(contract.date_start.replace(month=3, day=10), "Moving")
        self.assertEqual(contract.state, "terminated")
        credit = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(credit.invoice_line_ids.price_unit, 67.74)
        self.assertEqual(str(credit.invoice_line_ids.service_start_date), "2026-03-11")
        self.assertFalse(contract.next_invoice_date)
        self.assertFalse(self._bill("2026-04-01"))
        with freeze_time("2026-04-01"):
            self.env["recurring.contract"]._cron_update_states()
        self.assertEqual(contract.state, "closed")

    def test_terminate_postpaid_bills_final_prorated_period(self):
        contract = self._contract("2026-01-01", self.monthly_postpaid, notice_days=0)
        self._bill("2026-02-28")
        with freeze_time("2026-03-05"):
            contract._terminate(contract.date_start.replace(month=3, day=10), "End")
        final = self._bill("2026-03-10").invoice_line_ids
        self.assertEqual(str(final.service_end_date), "2026-03-10")
        self.assertAlmostEqual(final.price_unit, 32.26)  # 10/31

    def test_notice_period(self):
        contract = self._contract("2026-01-01", self.monthly_calendar, notice_days=30)
        with freeze_time("2026-03-01"), self.assertRaisesRegex(UserError, "notice"):
            contract._terminate(
                contract.date_start.replace(month=3, day=15), "Too soon"
            )
        # a billing user cannot waive it; a manager can
        with freeze_time("2026-03-01"), self.assertRaises(UserError):
            contract._terminate(
                contract.date_start.replace(month=3, day=15), "x", ignore_notice=True
            )
        manager = new_test_user(
            self.env(su=True),
            login="billing_manager",
            groups="recurring_billing.group_billing_manager",
        )
        with freeze_time("2026-03-01"):
            contract.with_user(manager)._terminate(
                contract.date_start.replace(month=3, day=15),
                "Agreed",
                ignore_notice=True,
            )
        self.assertEqual(str(contract.termination_date), "2026-03-15")

    def test_auto_renewal_honours_notice(self):
        contract = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            date_end="2026-12-31",
            auto_renew=True,
            notice_days=30,
        )
        with freeze_time("2026-11-30"):
            self.env["recurring.contract"]._cron_update_states()
        self.assertEqual(str(contract.date_end), "2026-12-31")
        with freeze_time("2026-12-01"):
            self.env["recurring.contract"]._cron_update_states()
        self.assertEqual(str(contract.date_end), "2027-12-31")
