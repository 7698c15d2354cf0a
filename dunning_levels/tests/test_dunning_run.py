# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    """One message per customer, at the level of its oldest invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # On 15 March 2026: 64, 23 and 10 days late.
        cls.inv_old = cls._invoice(cls.customer, 1000.0, "2025-12-11", "2026-01-10")
        cls.inv_mid = cls._invoice(cls.customer, 500.0, "2026-01-21", "2026-02-20")
        cls.inv_new = cls._invoice(cls.customer, 300.0, "2026-02-03", "2026-03-05")
        cls.refund = cls._invoice(
            cls.customer, 200.0, "2026-02-10", "2026-02-10", move_type="out_refund"
        )
        cls._pay(cls.inv_old, 400.0, "2026-02-01")

    def test_one_email_at_the_level_of_the_oldest_invoice(self):
        self.assertEqual(self.inv_old.amount_residual, 600.0)
        run = self._run("2026-03-15")
        self.assertEqual(run.state, "done")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.level_3)
        self.assertEqual(reminder.days_late, 64)
        self.assertEqual(len(self._emails_to(self.customer)), 1)
        # 600 + 500 + 300 overdue, minus the 200 credit note.
        self.assertAlmostEqual(reminder.amount_overdue, 1200.0)
        # unpaid × 12.15 % × days late / 365, per invoice, rounded:
        # 600 × 64 days → 12.78; 500 × 23 days → 3.83; 300 × 10 days → 1.00.
        lines = reminder.line_ids
        by_move = {line.move_id: line for line in lines}
        self.assertAlmostEqual(by_move[self.inv_old].penalty, 12.78)
        self.assertAlmostEqual(by_move[self.inv_mid].penalty, 3.83)
        self.assertAlmostEqual(by_move[self.inv_new].penalty, 1.00)
        self.assertAlmostEqual(by_move[self.refund].amount_due, -200.0)
        self.assertEqual(by_move[self.refund].kind, "credit_note")
        self.assertAlmostEqual(reminder.amount_penalty, 17.61)
        self.assertAlmostEqual(reminder.amount_indemnity, 120.0)
        self.assertAlmostEqual(reminder.amount_total, 1200.0 + 17.61 + 120.0)
        # One action per invoice for the level's channel, invoices marked.
        actions = reminder.action_ids
        self.assertEqual(actions.move_id, self.inv_old | self.inv_mid | self.inv_new)
        self.assertEqual(set(actions.mapped("channel")), {"email"})
        self.assertEqual(self.inv_mid.dunning_level_id, self.level_3)
        self.assertEqual(str(self.inv_mid.dunning_last_date), "2026-03-15")
        # The email lists every invoice with its payment link.
        message = reminder.message_id
        self.assertIn(self.inv_new.name, message.body)
        self.assertIn(self.inv_old.get_portal_url().split("?")[0], message.body)
        self.assertIn("formal notice", message.body)
        # The kanban card.
        card = self.env["dunning.customer"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(card.level_id, self.level_3)
        self.assertEqual(card.state, "chased")
        self.assertEqual(str(card.oldest_due_date), "2026-01-10")
        self.assertEqual(str(card.last_action_date), "2026-03-15")
        self.assertAlmostEqual(card.amount_overdue, 1200.0)

    def test_second_run_same_day_sends_nothing(self):
        self._run("2026-03-15")
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.skip_reason, "min_interval")
        self.assertFalse(reminder.action_ids)
        self.assertEqual(len(self._emails_to(self.customer)), 1)

    def test_level_never_logged_twice(self):
        run = self._run("2026-03-15")
        action = self._reminder(run).action_ids[0]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            action.copy({"date": "2026-04-01"})

    def test_preview_sends_nothing_and_explains(self):
        with freeze_time("2026-03-15"):
            run = self._new_run("2026-03-15")
            run.action_preview()
        self.assertEqual(run.state, "previewed")
        preview = run.customer_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertTrue(preview.preview)
        self.assertEqual(preview.state, "to_send")
        self.assertEqual(preview.level_id, self.level_3)
        self.assertIn("64 days late", preview.explanation)
        self.assertFalse(self.env["dunning.action"].search_count([]))
        self.assertFalse(self._emails_to(self.customer))

    def test_paid_after_preview_is_not_dunned(self):
        with freeze_time("2026-03-15"):
            run = self._new_run("2026-03-15")
            run.action_preview()
        self.assertEqual(run.preview_count, 1)
        self._pay(self.inv_old, 600.0, "2026-03-15")
        self._pay(self.inv_mid, 500.0, "2026-03-15")
        self._pay(self.inv_new, 300.0, "2026-03-15")
        with freeze_time("2026-03-15"), self._no_commit():
            run.action_run()
        self.assertFalse(self._reminder(run).filtered(lambda c: c.state == "sent"))
        self.assertFalse(self._emails_to(self.customer))

    def test_partly_paid_after_preview_drops_the_paid_invoice(self):
        with freeze_time("2026-03-15"):
            run = self._new_run("2026-03-15")
            run.action_preview()
        self._pay(self.inv_old, 600.0, "2026-03-15")
        with freeze_time("2026-03-15"), self._no_commit():
            run.action_run()
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertNotIn(self.inv_old, reminder.line_ids.move_id)
        self.assertEqual(reminder.level_id, self.level_2)

    def test_next_level_later(self):
        with freeze_time("2026-02-15"):
            self._run("2026-02-15")
        first = self.env["dunning.run.customer"].search(
            [("partner_id", "=", self.customer.id), ("preview", "=", False)]
        )
        # On 15 February: 36 days late → level 2, for the two invoices due.
        self.assertEqual(first.level_id, self.level_2)
        self.assertEqual(first.action_ids.move_id, self.inv_old)
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.level_id, self.level_3)
        self.assertEqual(len(self._emails_to(self.customer)), 2)

    def test_cron_runs_every_company_with_a_policy(self):
        with freeze_time("2026-03-15"), self._no_commit():
            self.env["dunning.run"].sudo()._cron_run()
        run = self.env["dunning.run"].search([("company_id", "=", self.env.company.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(self._reminder(run).state, "sent")
