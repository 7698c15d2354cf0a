# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import SepaCommon


@tagged("post_install", "-at_install")
class TestSepaReturns(SepaCommon):
    """The bank returns a debit: hard -> no retry; soft -> presented once
    more (at most two presentations), then dunning."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        company = cls.env.company
        cls.accountant = new_test_user(
            cls.env,
            login="sepa_accountant",
            groups="account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        return result

    def _debited(self, day="2026-01-15"):
        move = self._debit_invoice()
        self._order_debits(day)
        self._send_order(move.payment_attempt_ids.payment_order_id, day)
        self.assertEqual(move.collection_state, "paid")
        return move

    def _return(self, attempts, code, day="2026-01-16"):
        with freeze_time(day):
            self._record_return(attempts, code)

    def _record_return(self, attempts, code):
        wizard = Form(
            self.env["recurring.payment.sepa.return"]
            .with_user(self.accountant)
            .with_context(
                active_model="recurring.payment.attempt", active_ids=attempts.ids
            )
        )
        wizard.reason_code = code
        wizard.save().action_confirm()

    def test_hard_return_is_not_retried(self):
        move = self._debited()
        attempt = move.payment_attempt_ids
        payment = attempt.payment_line_id.payment_ids
        self._return(attempt, "AC04")
        self.assertEqual(self._attempts(move), [(1, "2026-01-15", "failed")])
        self.assertEqual(attempt.decline_kind, "hard")
        self.assertEqual(attempt.return_reason, "AC04")
        self.assertIn("AC04", attempt.reason)
        self.assertEqual(move.collection_state, "failed")
        self.assertEqual(move.payment_state, "not_paid")
        self.assertEqual(move.amount_residual, move.amount_total)
        self.assertEqual(payment.state, "rejected")
        self.assertFalse(move._get_pending_collection_moves())
        # a first debit that came back: the next one is a first again
        self.assertEqual(self.mandate.recurrent_sequence_type, "first")

    def test_soft_return_is_presented_once_more_then_fails(self):
        move = self._debited()
        first = move.payment_attempt_ids
        self._return(first, "AM04")
        self.assertEqual(first.decline_kind, "soft")
        self.assertEqual(
            self._attempts(move),
            [(1, "2026-01-15", "failed"), (2, "2026-01-18", "scheduled")],
        )
        self.assertEqual(move.collection_state, "scheduled")
        self.assertEqual(move._get_pending_collection_moves(), move)

        self._order_debits("2026-01-17")
        second = move.payment_attempt_ids.filtered(
            lambda attempt: attempt.attempt_number == 2
        )
        self.assertFalse(second.payment_line_id)
        self._order_debits("2026-01-18")
        self.assertEqual(second.state, "pending")
        new_order = second.payment_order_id
        self.assertNotEqual(new_order, first.payment_order_id)
        self.assertEqual(second.payment_line_id.amount_currency, move.amount_total)
        root = self._send_order(new_order, "2026-01-18")
        self._assert_valid_pain(root)
        self.assertEqual(move.collection_state, "paid")

        # the second presentation comes back too: no third one
        self._return(second, "AM04", day="2026-01-19")
        self.assertEqual(
            self._attempts(move),
            [(1, "2026-01-15", "failed"), (2, "2026-01-18", "failed")],
        )
        self.assertEqual(move.collection_state, "failed")
        self.assertEqual(move.amount_residual, move.amount_total)
        self.assertFalse(move._get_pending_collection_moves())

    def test_only_paid_debits_can_be_returned(self):
        move = self._debit_invoice()
        with self.assertRaises(UserError):
            self._return(move.payment_attempt_ids, "AM04")
