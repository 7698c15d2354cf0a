# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import SepaCommon

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


@tagged("post_install", "-at_install")
class TestSepaCollection(SepaCommon):
    """Posted invoice with a mandate -> debit date after the lead time ->
    payment order -> pain.008 -> uploaded -> paid."""

    def test_debit_joins_an_order_after_the_lead_time_and_is_paid(self):
        move = self._debit_invoice()
        self.assertEqual(move.mandate_id, self.mandate)
        self.assertEqual(move.payment_mode_id, self.payment_mode)
        # posted on Jan 1st, due at once: debited after 14 days of notice
        self.assertEqual(self._attempts(move), [(1, "2026-01-15", "scheduled")])
        self.assertEqual(move.collection_state, "scheduled")
        self.assertEqual(move._get_pending_collection_moves(), move)

        self._order_debits("2026-01-14")
        attempt = move.payment_attempt_ids
        self.assertFalse(attempt.payment_line_id)
        self.assertFalse(move.line_ids.payment_line_ids)

        self._order_debits("2026-01-15")
        order = attempt.payment_order_id
        self.assertTrue(order)
        self.assertEqual(order.payment_type, "inbound")
        self.assertEqual(order.payment_mode_id, self.payment_mode)
        self.assertEqual(order.state, "draft")
        self.assertEqual(attempt.state, "pending")
        self.assertEqual(attempt.sepa_sequence, "FRST")
        self.assertEqual(attempt.amount, move.amount_total)
        self.assertEqual(attempt.payment_line_id.mandate_id, self.mandate)
        self.assertEqual(move.collection_state, "pending")
        self.assertEqual(move._get_pending_collection_moves(), move)
        # a second run adds nothing
        self._order_debits("2026-01-16")
        self.assertEqual(len(order.payment_line_ids), 1)

        root = self._send_order(order, "2026-01-15")
        self._assert_valid_pain(root)
        self.assertEqual(
            root.xpath("//p:DrctDbtTx/p:MndtRltdInf/p:MndtId/text()", namespaces=NS),
            ["UMR-A"],
        )
        self.assertEqual(root.xpath("//p:SeqTp/text()", namespaces=NS), ["FRST"])
        self.assertEqual(
            root.xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=NS),
            [f"{move.amount_total:.2f}"],
        )
        self.assertEqual(order.state, "uploaded")
        self.assertEqual(attempt.state, "done")
        self.assertEqual(move.collection_state, "paid")
        self.assertTrue(move.currency_id.is_zero(move.amount_residual))
        self.assertFalse(move._get_pending_collection_moves())
        # OCA's flow: the next debit of the mandate is a recurring one
        self.assertEqual(self.mandate.recurrent_sequence_type, "recurring")

    def test_debits_of_a_day_share_one_order(self):
        moves = self._debit_invoice() | self._debit_invoice(self.mandate_2)
        self._order_debits("2026-01-15")
        order = moves.payment_attempt_ids.payment_order_id
        self.assertEqual(len(order), 1)
        self.assertEqual(len(order.payment_line_ids), 2)
        root = self._send_order(order, "2026-01-15")
        self._assert_valid_pain(root)
        self.assertEqual(
            sorted(root.xpath("//p:MndtId/text()", namespaces=NS)),
            ["UMR-A", "UMR-A2"],
        )
        self.assertEqual(set(moves.mapped("collection_state")), {"paid"})

    def test_token_cron_leaves_debits_alone(self):
        move = self._debit_invoice()
        self._collect("2026-01-20")
        attempt = move.payment_attempt_ids
        self.assertEqual(attempt.state, "scheduled")
        self.assertFalse(attempt.transaction_id)

    def test_invoice_paid_meanwhile_is_not_debited(self):
        move = self._debit_invoice()
        self.env["account.payment.register"].sudo().with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": "2026-01-10"})._create_payments()
        self._order_debits("2026-01-15")
        attempt = move.payment_attempt_ids
        self.assertEqual(attempt.state, "cancelled")
        self.assertFalse(attempt.payment_line_id)

    def test_revoked_mandate_is_a_hard_decline(self):
        move = self._debit_invoice()
        self.mandate.sudo().state = "cancel"
        self._order_debits("2026-01-15")
        self.assertEqual(self._attempts(move), [(1, "2026-01-15", "failed")])
        self.assertEqual(move.payment_attempt_ids.decline_kind, "hard")
        self.assertEqual(move.collection_state, "failed")

    def test_new_mandate_debits_the_open_invoices_again(self):
        """After a revoked mandate, the customer signs another: set on the
        contract, the open invoice is debited under it after the lead time."""
        move = self._debit_invoice()
        self.mandate.sudo().state = "cancel"
        self._order_debits("2026-01-15")
        self.assertEqual(move.collection_state, "failed")
        contract = move.recurring_contract_ids
        with freeze_time("2026-01-20"):
            contract.mandate_id = self.mandate_2
        self.assertEqual(move.mandate_id, self.mandate_2)
        self.assertEqual(move.collection_state, "scheduled")
        self.assertEqual(
            self._attempts(move),
            [(1, "2026-01-15", "failed"), (2, "2026-02-03", "scheduled")],
        )
        self._order_debits("2026-02-03")
        attempt = move.payment_attempt_ids.filtered(lambda a: a.attempt_number == 2)
        self.assertEqual(attempt.state, "pending")
        self.assertEqual(attempt.mandate_id, self.mandate_2)
        self.assertTrue(attempt.payment_order_id)

    def test_cancelled_order_stops_the_collection(self):
        move = self._debit_invoice()
        self._order_debits("2026-01-15")
        order = move.payment_attempt_ids.payment_order_id
        order.sudo().action_cancel()
        self.assertEqual(move.payment_attempt_ids.state, "cancelled")
        self.assertEqual(move.collection_state, "cancelled")
        self.assertFalse(move._get_pending_collection_moves())
