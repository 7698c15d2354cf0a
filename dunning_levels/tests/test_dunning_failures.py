# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningCommon

SEND_LOGGER = "odoo.addons.dunning_levels.models.dunning_send"


@tagged("post_install", "-at_install")
class TestDunningFailures(DunningCommon):
    """A customer failing in the daily run gets one message and one
    activity, updated while it fails, closed when a run gets through; the
    charge invoices of a chunk are created in one batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2025-12-11", "2026-01-10")

    @contextmanager
    def _email_fails(self, errors):
        """The reminder email of ``self.customer`` raises ``errors[today]``."""
        Send = type(self.env["dunning.send"])
        send_email = Send._hook_send_email

        def failing(service, customer, rendered):
            if customer.partner_id == self.customer:
                raise ValueError(errors[str(fields.Date.today())])
            return send_email(service, customer, rendered)

        with patch.object(Send, "_hook_send_email", failing), mute_logger(SEND_LOGGER):
            yield

    def _cron(self, day):
        with freeze_time(day), self._no_commit():
            self.env["dunning.run"].sudo()._cron_run()
        return self.env["dunning.run"].search(
            [("company_id", "=", self.env.company.id), ("date", "=", day)]
        )

    def _notes(self, text):
        """The customer's notes containing ``text`` (not "activity done")."""
        return (
            self.env["mail.message"]
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("mail_activity_type_id", "=", False),
                ]
            )
            .filtered(lambda m: text in str(m.body))
            .sorted("id")
        )

    def _failure_activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("summary", "=", "Payment reminder failed"),
            ]
        )

    def _card(self):
        return self.env["dunning.customer"].search(
            [("partner_id", "=", self.customer.id)]
        )

    def test_two_failing_cron_runs_then_success(self):
        errors = dict.fromkeys(("2026-03-15", "2026-03-16"), "SMTP refused")
        with self._email_fails(errors):
            first = self._cron("2026-03-15")
            second = self._cron("2026-03-16")
        self.assertEqual(self._reminder(first).state, "error")
        self.assertEqual(self._reminder(second).state, "error")
        self.assertEqual(first.customer_ids, self._reminder(first))
        self.assertEqual((first.state, second.state), ("failed", "failed"))
        messages = self._notes("SMTP refused")
        self.assertEqual(len(messages), 1)
        self.assertIn("2 times in a row", str(messages.body))
        self.assertIn("SMTP refused", str(messages.body))
        activity = self._failure_activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("2 times in a row", str(activity.note))
        card = self._card()
        self.assertEqual(card.error_count, 2)
        self.assertEqual(card.error_activity_id, activity)
        self.assertEqual(str(card.error_since.date()), "2026-03-15")

        third = self._cron("2026-03-17")
        self.assertEqual(self._reminder(third).state, "sent")
        self.assertEqual(third.state, "done")
        self.assertFalse(self._failure_activities())
        self.assertFalse(card.error_count)
        self.assertFalse(card.error)
        resolved = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("body", "ilike", "Resolved"),
            ]
        )
        self.assertEqual(len(resolved), 1)
        self.assertIn("after 2 failed attempt", str(resolved.body))
        # the failure message stays, as history
        self.assertEqual(len(self._notes("SMTP refused")), 1)

    def test_new_message_only_when_the_error_changes(self):
        errors = {
            "2026-03-15": "SMTP refused",
            "2026-03-16": "SMTP refused",
            "2026-03-17": "Mailbox full",
        }
        with self._email_fails(errors):
            for day in errors:
                self._cron(day)
        messages = self._notes("failed")
        self.assertEqual(len(messages), 2)
        self.assertIn("SMTP refused", str(messages[0].body))
        self.assertIn("2 times in a row", str(messages[0].body))
        self.assertIn("Mailbox full", str(messages[1].body))
        self.assertIn("3 times in a row", str(messages[1].body))
        activity = self._failure_activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("Mailbox full", str(activity.note))

    def test_failure_activity_goes_to_a_dunning_manager(self):
        with self._email_fails({"2026-03-15": "SMTP refused"}):
            self._cron("2026-03-15")
        user = self._failure_activities().user_id
        self.assertTrue(user.has_group("dunning_levels.group_dunning_manager"))

    def test_charge_invoices_of_a_chunk_in_one_create(self):
        other = self.env["res.partner"].create(
            {"name": "Martin SA", "email": "martin@example.com"}
        )
        late = self._invoice(other, 500.0, "2025-12-11", "2026-01-10")
        self.level_3.issue_charges = True
        Move = type(self.env["account.move"])
        create = Move.create
        calls = []

        def counting(moves, vals_list):
            as_list = [vals_list] if isinstance(vals_list, dict) else vals_list
            if any(vals.get("dunning_excluded") for vals in as_list):
                calls.append(len(as_list))
            return create(moves, vals_list)

        with patch.object(Move, "create", counting):
            run = self._run("2026-03-15")
        self.assertEqual(calls, [2])
        mine, theirs = self._reminder(run), self._reminder(run, other)
        self.assertEqual(len(mine.charge_move_ids), 1)
        self.assertEqual(len(theirs.charge_move_ids), 1)
        self.assertEqual(mine.charge_move_ids.partner_id, self.customer)
        self.assertEqual(theirs.charge_move_ids.partner_id, other)
        self.assertEqual(self.invoice.dunning_charge_move_id, mine.charge_move_ids)
        self.assertEqual(late.dunning_charge_move_id, theirs.charge_move_ids)
        self.assertEqual(
            set((mine.charge_move_ids | theirs.charge_move_ids).mapped("state")),
            {"posted"},
        )

    def test_a_failing_charge_invoice_leaves_the_others(self):
        other = self.env["res.partner"].create(
            {"name": "Martin SA", "email": "martin@example.com"}
        )
        late = self._invoice(other, 500.0, "2025-12-11", "2026-01-10")
        self.level_3.issue_charges = True
        Send = type(self.env["dunning.send"])
        prepare = Send._hook_prepare_charge_invoice

        def failing(service, customer, currency, lines, journal):
            if customer.partner_id == self.customer:
                raise ValueError("No income account")
            return prepare(service, customer, currency, lines, journal)

        with (
            patch.object(Send, "_hook_prepare_charge_invoice", failing),
            mute_logger(SEND_LOGGER),
        ):
            run = self._run("2026-03-15")
        mine, theirs = self._reminder(run), self._reminder(run, other)
        self.assertEqual(theirs.state, "sent")
        self.assertEqual(late.dunning_charge_move_id, theirs.charge_move_ids)
        self.assertEqual(theirs.charge_move_ids.state, "posted")
        # the reminder went out, its charges did not: an error to look at
        self.assertEqual(mine.state, "error")
        self.assertIn("No income account", mine.error)
        self.assertTrue(mine.message_id)
        self.assertFalse(mine.charge_move_ids)
        self.assertFalse(self.invoice.dunning_charge_move_id)
        self.assertEqual(self.invoice.dunning_level_id, self.level_3)
        self.assertEqual(len(self._failure_activities()), 1)
