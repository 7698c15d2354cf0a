# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collection cron's batches: transactions created together, payments
created, posted and reconciled together, Odoo's post-processing with nothing
left to do, a crash between the charges and their post-processing."""

from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CollectionCommon

ATTEMPT_LOGGER = "odoo.addons.recurring_payment.models.recurring_payment_attempt"


@tagged("post_install", "-at_install")
class TestCollectionBatch(CollectionCommon):
    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.token_done_2 = cls._token("done")
        return result

    @contextmanager
    def _counting(self, model, method):
        """Count the calls of ``model.method`` (and the records it gets)."""
        Model = type(self.env[model])
        original = getattr(Model, method)
        calls = []

        def counted(records, *args, **kwargs):
            calls.append((records, args))
            return original(records, *args, **kwargs)

        with patch.object(Model, method, counted):
            yield calls

    def _odoo_post_processing_cron(self, day):
        """payment's post-processing cron (it commits per transaction)."""
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: None):
            self.env["payment.transaction"].sudo()._cron_post_process()

    def _mixed_batch(self):
        tokens = {
            "done": self.token_done,
            "done_2": self.token_done_2,
            "pending": self.token_pending,
            "error": self.token_error,
            "cancel": self.token_cancel,
        }
        return {name: self._invoice(token) for name, token in tokens.items()}

    def test_mixed_batch_records_each_outcome(self):
        moves = self._mixed_batch()
        with (
            self._counting("account.payment", "create") as payment_creates,
            self._counting("payment.transaction", "create") as tx_creates,
            self._counting("account.move.line", "_reconcile_plan") as plans,
        ):
            self._collect("2026-01-01")
        # one create of the batch's transactions, one of its payments, one
        # reconciliation plan (a pair of lines per paid invoice)
        self.assertEqual(len(tx_creates), 1)
        self.assertEqual(len(payment_creates), 1)
        self.assertEqual(len(payment_creates[0][1][0]), 2)
        self.assertEqual(len(plans), 1)
        self.assertEqual(len(plans[0][1][0]), 2)

        for name in ("done", "done_2"):
            move = moves[name]
            attempt = move.payment_attempt_ids
            transaction = attempt.transaction_id.sudo()
            payment = transaction.payment_id
            self.assertEqual(self._attempts(move), [(1, "2026-01-01", "done")])
            self.assertEqual(move.collection_state, "paid")
            self.assertIn(move.payment_state, ("paid", "in_payment"))
            self.assertTrue(move.currency_id.is_zero(move.amount_residual))
            self.assertTrue(transaction.is_post_processed)
            # the payment account_payment's _create_payment would have made
            self.assertIn(payment.state, ("in_process", "paid"))
            self.assertEqual(payment.move_id.state, "posted")
            self.assertEqual(payment.payment_transaction_id, transaction)
            self.assertEqual(payment.payment_token_id, attempt.token_id)
            self.assertEqual(payment.amount, move.amount_total)
            self.assertEqual(payment.partner_id, move.commercial_partner_id)
            self.assertEqual(payment.journal_id, self.provider.journal_id)
            self.assertEqual(payment.invoice_ids, move)
            self.assertEqual(payment.reconciled_invoice_ids, move)
            self.assertEqual(
                payment.memo,
                f"{transaction.reference} - {transaction.provider_reference}",
            )
            self.assertEqual(
                payment.destination_account_id,
                move.line_ids.filtered(
                    lambda line: line.display_type == "payment_term"
                ).account_id,
            )
            # one line in the chatter, not the transaction's own messages
            bodies = move.message_ids.mapped("body")
            paid = [body for body in bodies if "Paid automatically" in body]
            self.assertEqual(len(paid), 1)
            self.assertIn(transaction.reference, paid[0])
            self.assertIn(payment.name, paid[0])
            self.assertFalse([body for body in bodies if "has been initiated" in body])

        pending = moves["pending"]
        self.assertEqual(self._attempts(pending), [(1, "2026-01-01", "pending")])
        self.assertEqual(pending.collection_state, "pending")
        self.assertEqual(pending.payment_state, "not_paid")
        self.assertFalse(pending.payment_attempt_ids.transaction_id.sudo().payment_id)
        self.assertTrue(
            any(
                "pending with the payment provider" in body
                for body in pending.message_ids.mapped("body")
            )
        )

        error = moves["error"]
        self.assertEqual(
            self._attempts(error),
            [(1, "2026-01-01", "failed"), (2, "2026-01-04", "scheduled")],
        )
        first = error.payment_attempt_ids.filtered(lambda a: a.attempt_number == 1)
        self.assertEqual(first.decline_kind, "soft")
        cancel = moves["cancel"]
        self.assertEqual(self._attempts(cancel), [(1, "2026-01-01", "failed")])
        self.assertEqual(cancel.payment_attempt_ids.decline_kind, "hard")
        for move in (error, cancel):
            self.assertEqual(move.payment_state, "not_paid")
            bodies = move.message_ids.mapped("body")
            self.assertTrue(any("could not collect" in body for body in bodies))

    def test_the_batch_payment_is_the_one_account_payment_makes(self):
        batch = self._invoice(self.token_done)
        alone = self._invoice(self.token_done_2)
        Transaction = type(self.env["payment.transaction"])
        payable = Transaction._collection_batch_payable

        def not_alone(transaction):
            return transaction.invoice_ids != alone and payable(transaction)

        with patch.object(Transaction, "_collection_batch_payable", not_alone):
            self._collect("2026-01-01")
        ours, odoos = (
            move.payment_attempt_ids.transaction_id.sudo().payment_id
            for move in (batch, alone)
        )
        self.assertTrue(ours and odoos)

        def described(payment):
            return {
                "state": payment.state,
                "amount": payment.amount,
                "payment_type": payment.payment_type,
                "partner_type": payment.partner_type,
                "partner": payment.partner_id,
                "journal": payment.journal_id,
                "method_line": payment.payment_method_line_id,
                "destination": payment.destination_account_id,
                "outstanding": payment.outstanding_account_id,
                "reconciled": payment.is_reconciled,
                "move_state": payment.move_id.state,
                "lines": sorted(
                    (line.account_id.id, line.debit, line.credit, line.reconciled)
                    for line in payment.move_id.line_ids
                ),
                "invoice_state": payment.reconciled_invoice_ids.payment_state,
            }

        self.assertEqual(described(ours), described(odoos))
        self.assertEqual(ours.reconciled_invoice_ids, batch)
        self.assertEqual(odoos.reconciled_invoice_ids, alone)

    def test_odoo_post_processing_afterwards_changes_nothing(self):
        moves = self._mixed_batch()
        self._collect("2026-01-01")
        transactions = (
            self.env["recurring.payment.attempt"]
            .search([("move_id", "in", [m.id for m in moves.values()])])
            .transaction_id.sudo()
        )
        self.assertTrue(all(transactions.mapped("is_post_processed")))
        payments = self.env["account.payment"].sudo().search([])
        residuals = {name: move.amount_residual for name, move in moves.items()}
        self._odoo_post_processing_cron("2026-01-01")
        # and post-processing them again by hand (the transaction's button)
        transactions._post_process()
        self.assertEqual(self.env["account.payment"].sudo().search([]), payments)
        self.assertEqual(
            {name: move.amount_residual for name, move in moves.items()}, residuals
        )
        for name in ("done", "done_2"):
            self.assertEqual(len(moves[name].sudo().transaction_ids.payment_id), 1)
            self.assertEqual(self._attempts(moves[name]), [(1, "2026-01-01", "done")])
        # the pending charge settled later goes Odoo's way, recorded here too
        pending = moves["pending"]
        transaction = pending.payment_attempt_ids.transaction_id.sudo()
        with freeze_time("2026-01-02"):
            transaction.action_demo_set_done()
        self._odoo_post_processing_cron("2026-01-02")
        self.assertEqual(self._attempts(pending), [(1, "2026-01-01", "done")])
        self.assertEqual(len(transaction.payment_id), 1)
        self.assertIn(pending.payment_state, ("paid", "in_payment"))

    def test_crash_after_the_charges_never_charges_twice(self):
        moves = self._mixed_batch()
        Attempt = type(self.env["recurring.payment.attempt"])

        def crash(attempts):
            raise RuntimeError("worker killed after the charges")

        # not assertRaises: Odoo's rolls its block back to a savepoint, where
        # a crashed worker keeps what was committed after the charges
        crashed = False
        with (
            self._counting("payment.transaction", "_send_payment_request") as sent,
            patch.object(Attempt, "_collect_post_process", crash),
        ):
            try:
                self._collect("2026-01-01")
            except RuntimeError:
                crashed = True
        self.assertTrue(crashed)
        self.assertEqual(len(sent), 5)
        for move in moves.values():
            self.assertEqual(self._attempts(move), [(1, "2026-01-01", "charging")])
        with self._counting("payment.transaction", "_send_payment_request") as sent:
            self._collect("2026-01-01")
            self._collect("2026-01-02")
        self.assertFalse(sent)
        # Odoo's post-processing cron records the outcomes left behind
        self._odoo_post_processing_cron("2026-01-02")
        for name in ("done", "done_2"):
            move = moves[name]
            self.assertEqual(self._attempts(move), [(1, "2026-01-01", "done")])
            self.assertIn(move.payment_state, ("paid", "in_payment"))
            self.assertEqual(len(move.sudo().transaction_ids), 1)
            self.assertEqual(len(move.sudo().transaction_ids.payment_id), 1)
        self.assertEqual(self._attempts(moves["pending"])[0][2], "pending")
        self.assertEqual(self._attempts(moves["cancel"]), [(1, "2026-01-01", "failed")])

    def test_a_failing_batch_post_processing_falls_back_to_odoos_way(self):
        moves = self._mixed_batch()
        Transaction = type(self.env["payment.transaction"])

        def broken(transactions):
            raise RuntimeError("batch payments failed")

        with (
            patch.object(Transaction, "_collection_create_payments", broken),
            mute_logger(ATTEMPT_LOGGER),
        ):
            self._collect("2026-01-01")
        for name in ("done", "done_2"):
            move = moves[name]
            self.assertEqual(self._attempts(move), [(1, "2026-01-01", "done")])
            self.assertIn(move.payment_state, ("paid", "in_payment"))
            self.assertEqual(len(move.sudo().transaction_ids.payment_id), 1)
        self.assertEqual(
            self._attempts(moves["pending"]), [(1, "2026-01-01", "pending")]
        )
        self.assertEqual(
            self._attempts(moves["error"]),
            [(1, "2026-01-01", "failed"), (2, "2026-01-04", "scheduled")],
        )

    def test_a_reference_already_taken_gets_the_next_number(self):
        move = self._invoice(self.token_done)
        other = self._invoice(self.token_done_2)
        taken = f"{move.name}-1"
        self.env["payment.transaction"].sudo().create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.pm_demo.id,
                "reference": taken,
                "amount": 1.0,
                "currency_id": move.currency_id.id,
                "partner_id": move.partner_id.id,
            }
        )
        self._collect("2026-01-01")
        self.assertEqual(
            move.payment_attempt_ids.transaction_id.sudo().reference, f"{taken}-1"
        )
        self.assertEqual(
            other.payment_attempt_ids.transaction_id.sudo().reference,
            f"{other.name}-1",
        )
        self.assertEqual(move.collection_state, "paid")

    def test_transactions_not_created_together_are_created_one_by_one(self):
        paid = self._invoice(self.token_done)
        refused = self._invoice(self.token_done_2)
        Transaction = type(self.env["payment.transaction"])
        create = Transaction.create

        def picky(model, vals_list):
            if len(vals_list) > 1:
                raise ValueError("not together")
            if vals_list[0]["token_id"] == self.token_done_2.id:
                raise ValueError("refused for this one")
            return create(model, vals_list)

        with (
            patch.object(Transaction, "create", picky),
            mute_logger(ATTEMPT_LOGGER),
        ):
            self._collect("2026-01-01")
        self.assertEqual(self._attempts(paid), [(1, "2026-01-01", "done")])
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        self.assertEqual(
            self._attempts(refused),
            [(1, "2026-01-01", "failed"), (2, "2026-01-04", "scheduled")],
        )
        first = refused.payment_attempt_ids.filtered(lambda a: a.attempt_number == 1)
        self.assertEqual(first.decline_kind, "soft")
        self.assertIn("refused for this one", first.reason)
        self.assertFalse(refused.sudo().transaction_ids)
