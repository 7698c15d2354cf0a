# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollection(CollectionCommon):
    """Posted invoices charged with the demo provider: done, pending, errors,
    retries, hard declines, crashes, a new payment method."""

    def test_posting_schedules_and_the_cron_charges_and_reconciles(self):
        move = self._invoice(self.token_done)
        self.assertEqual(move.payment_token_id, self.token_done)
        self.assertEqual(move.collection_state, "scheduled")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "scheduled")])
        self._collect("2026-01-01")
        attempt = move.payment_attempt_ids
        self.assertEqual(attempt.state, "done")
        self.assertEqual(attempt.transaction_id.state, "done")
        self.assertEqual(attempt.transaction_id.operation, "offline")
        self.assertEqual(attempt.amount, move.amount_total)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(move.collection_state, "paid")
        self.assertFalse(move._get_pending_collection_moves())

    def test_nothing_is_charged_before_its_day(self):
        move = self._invoice(self.token_done)
        self._collect("2025-12-31")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "scheduled")])
        self.assertFalse(move.transaction_ids)

    def test_pending_charge_is_waited_for_and_kept_out_of_dunning(self):
        move = self._invoice(self.token_pending)
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "pending")])
        self.assertEqual(move.collection_state, "pending")
        self.assertEqual(move.payment_state, "not_paid")
        self.assertEqual(move._get_pending_collection_moves(), move)
        # the provider settles it later; its post-processing cron records it
        transaction = move.payment_attempt_ids.transaction_id.sudo()
        transaction.action_demo_set_done()
        transaction._post_process()
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "done")])
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertFalse(move._get_pending_collection_moves())

    def test_soft_declines_are_retried_on_schedule_then_handed_to_dunning(self):
        move = self._invoice(self.token_error)
        self._collect("2026-01-01")
        self.assertEqual(
            self._attempts(move),
            [(1, "2026-01-01", "failed"), (2, "2026-01-04", "scheduled")],
        )
        first = move.payment_attempt_ids.filtered(lambda a: a.attempt_number == 1)
        self.assertEqual(first.decline_kind, "soft")
        self.assertEqual(move.collection_state, "scheduled")
        self.assertEqual(move._get_pending_collection_moves(), move)
        self._collect("2026-01-03")
        self.assertEqual(len(move.payment_attempt_ids), 2)
        for day in ("2026-01-04", "2026-01-08", "2026-01-15"):
            self._collect(day)
        self.assertEqual(
            self._attempts(move),
            [
                (1, "2026-01-01", "failed"),
                (2, "2026-01-04", "failed"),
                (3, "2026-01-08", "failed"),
                (4, "2026-01-15", "failed"),
            ],
        )
        self.assertEqual(move.collection_state, "failed")
        self.assertFalse(move._get_pending_collection_moves())
        self.assertEqual(len(move.sudo().transaction_ids), 4)
        self.assertEqual(len(set(move.sudo().transaction_ids.mapped("reference"))), 4)
        # the customer was told at each failure
        failures = move.message_ids.filtered(
            lambda message: message.message_type == "comment"
            and "could not collect" in (message.body or "")
        )
        self.assertEqual(len(failures), 4)

    def test_hard_decline_is_not_retried(self):
        move = self._invoice(self.token_cancel)
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "failed")])
        self.assertEqual(move.payment_attempt_ids.decline_kind, "hard")
        self.assertEqual(move.collection_state, "failed")

    def test_archived_token_is_a_hard_decline_without_transaction(self):
        move = self._invoice(self.token_done)
        self.token_done.sudo().active = False
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "failed")])
        self.assertFalse(move.sudo().transaction_ids)
        self.assertEqual(move.collection_state, "failed")

    def test_crash_between_charge_and_record_never_charges_twice(self):
        move = self._invoice(self.token_done)
        Transaction = type(self.env["payment.transaction"])
        charge = Transaction._send_payment_request
        sent = []

        def counted(transaction):
            sent.append(transaction.reference)
            return charge(transaction)

        def crash(transaction):
            raise RuntimeError("worker killed")

        with (
            patch.object(Transaction, "_send_payment_request", counted),
            patch.object(Transaction, "_post_process", crash),
            mute_logger(
                "odoo.addons.recurring_payment.models.recurring_payment_attempt"
            ),
        ):
            self._collect("2026-01-01")
        self.assertEqual(len(sent), 1)
        attempt = move.payment_attempt_ids
        self.assertEqual(attempt.state, "charging")
        self.assertTrue(attempt.transaction_id)
        with patch.object(Transaction, "_send_payment_request", counted):
            self._collect("2026-01-01")
            self._collect("2026-01-02")
        self.assertEqual(len(sent), 1)
        self.assertEqual(len(move.sudo().transaction_ids), 1)
        self.assertEqual(len(move.payment_attempt_ids), 1)

    def test_an_attempt_number_is_unique_per_invoice(self):
        move = self._invoice(self.token_done)
        with (
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self.env["recurring.payment.attempt"].create(
                move._collection_attempt_values(move.invoice_date, 1, self.token_done)
            )

    def test_a_new_payment_method_retries_open_invoices_at_once(self):
        move = self._invoice(self.token_error)
        self._collect("2026-01-01")
        contract = move.recurring_contract_ids
        with freeze_time("2026-01-02"):
            contract.payment_token_id = self.token_done
        self.assertEqual(
            self._attempts(move),
            [
                (1, "2026-01-01", "failed"),
                (2, "2026-01-04", "cancelled"),
                (3, "2026-01-02", "scheduled"),
            ],
        )
        self.assertEqual(move.payment_token_id, self.token_done)
        self._collect("2026-01-02")
        self.assertEqual(move.collection_state, "paid")
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_an_invoice_paid_meanwhile_is_not_charged(self):
        move = self._invoice(self.token_done)
        self.env["account.payment.register"].sudo().with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": "2026-01-01"})._create_payments()
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "cancelled")])
        self.assertFalse(move.sudo().transaction_ids)

    def test_an_invoice_posted_again_is_collected_again(self):
        move = self._invoice(self.token_done)
        move.button_draft()
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "cancelled")])
        with freeze_time("2026-01-02"):
            move.action_post()
        self.assertEqual(
            self._attempts(move),
            [(1, "2026-01-01", "cancelled"), (2, "2026-01-02", "scheduled")],
        )
        self._collect("2026-01-02")
        self.assertEqual(move.collection_state, "paid")
