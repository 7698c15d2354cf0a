# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSkips(DunningCommon):
    """Disputes, promises, direct debits, pauses, missing emails, bounces."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 800.0, "2026-01-01", "2026-01-31")
        cls.other = cls._invoice(cls.customer, 200.0, "2026-02-01", "2026-03-01")

    def test_dispute_on_the_whole_debt_skips_the_customer(self):
        self.env["dunning.dispute.wizard"].with_user(self.controller).create(
            {"partner_id": self.customer.id, "reason": "quality"}
        ).action_confirm()
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.skip_reason, "dispute")
        self.assertFalse(self._emails_to(self.customer))

    def test_disputed_invoice_is_left_out(self):
        self.env["dunning.dispute.wizard"].with_user(self.controller).create(
            {
                "partner_id": self.customer.id,
                "move_ids": self.invoice.ids,
                "reason": "price",
            }
        ).action_confirm()
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        # The disputed invoice is left out; the other one is chased.
        self.assertEqual(reminder.line_ids.move_id, self.other)
        self.assertEqual(reminder.level_id, self.level_1)
        self.assertAlmostEqual(reminder.amount_overdue, 200.0)

    def test_promise_to_pay_skips_until_its_date(self):
        self.env["dunning.promise.wizard"].with_user(self.controller).create(
            {"partner_id": self.customer.id, "date": "2026-03-20", "amount": 1000.0}
        ).action_confirm()
        run = self._run("2026-03-15")
        self.assertEqual(self._reminder(run).skip_reason, "promise_to_pay")
        # Still within the 3 grace days on the 23rd, chased on the 24th.
        run = self._run("2026-03-23")
        self.assertEqual(self._reminder(run).skip_reason, "promise_to_pay")
        run = self._run("2026-03-24")
        self.assertEqual(self._reminder(run).state, "sent")
        promise = self.customer.dunning_promise_ids
        self.assertEqual(promise.state, "broken")
        self.assertEqual(self.customer.dunning_promise_broken_count, 1)

    def test_pending_direct_debit_is_skipped(self):
        (self.invoice | self.other).dunning_direct_debit = True
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.skip_reason, "direct_debit")

    def test_excluded_invoice(self):
        self.invoice.dunning_excluded = True
        run = self._run("2026-03-15")
        self.assertEqual(self._reminder(run).line_ids.move_id, self.other)

    def test_manual_pause(self):
        self.customer.dunning_pause_until = "2026-03-31"
        run = self._run("2026-03-15")
        self.assertEqual(self._reminder(run).skip_reason, "manual_pause")

    def test_no_email_gets_a_letter(self):
        self.customer.email = False
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.channels, "letter")
        self.assertTrue(reminder.letter_attachment_id)
        self.assertIn("no valid email", reminder.error)
        self.assertEqual(set(reminder.action_ids.mapped("channel")), {"letter"})
        self.assertFalse(self._emails_to(self.customer))

    def test_dunning_contact_receives_the_reminder(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Accounts payable",
                "parent_id": self.customer.id,
                "email": "ap@durand.example.com",
            }
        )
        self.customer.dunning_contact_id = contact
        run = self._run("2026-03-15")
        self.assertEqual(self._reminder(run).recipient_id, contact)
        self.assertEqual(len(self._emails_to(contact)), 1)

    def test_bounce_records_an_error_and_prints_a_letter(self):
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        reminder.message_id.notification_ids.sudo().write(
            {"notification_status": "bounce"}
        )
        self.assertEqual(reminder.state, "error")
        self.assertTrue(reminder.letter_attachment_id)
        email = reminder.action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(set(email.mapped("state")), {"error"})
        letters = reminder.action_ids.filtered(lambda a: a.channel == "letter")
        self.assertEqual(letters.move_id, email.move_id)

    def test_failing_customer_does_not_stop_the_run(self):
        other = self.env["res.partner"].create(
            {"name": "Martin SA", "email": "martin@example.com"}
        )
        self._invoice(other, 100.0, "2026-02-03", "2026-03-05")
        Send = type(self.env["dunning.send"])
        send_email = Send._hook_send_email

        def failing(service, customer, rendered):
            if customer.partner_id == self.customer:
                raise ValueError("SMTP refused")
            return send_email(service, customer, rendered)

        with (
            patch.object(Send, "_hook_send_email", failing),
            mute_logger("odoo.addons.dunning_levels.models.dunning_send"),
        ):
            run = self._run("2026-03-15")
        self.assertEqual(self._reminder(run, other).state, "sent")
        self.assertEqual(self._reminder(run).state, "error")
        self.assertIn("SMTP refused", self._reminder(run).error)
        self.assertEqual(run.state, "partly_failed")
