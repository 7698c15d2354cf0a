# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestUsageClaims(UsageCommon):
    """An event is billed by its claim (one row in ``usage_event_claim``);
    late events are looked for among the events loaded since the line's last
    rating; the references the table has no foreign key for are kept by the
    ORM."""

    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract()
        self.line = self.contract.line_ids.filtered("usage_metric_id")

    def _event(self, tid):
        return self.env["usage.event"].search([("transaction_id", "=", tid)])

    def _corrections(self, move):
        return move.invoice_line_ids.filtered(
            lambda line: line.usage_rating_ids.kind == "correction"
        )

    def test_late_events_months_after_their_period(self):
        """January is billed, then February with nothing late; January's late
        event arrives in March: April's invoice corrects January."""
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        self._run("2026-02-01")
        self._send(self.contract, [("2026-02-10T10:00:00", 10, "b")])
        self._run("2026-03-01")
        self._send(self.contract, [("2026-01-20T10:00:00", 200, "late")])
        move = self._run("2026-04-01").customer_ids.invoice_ids
        correction = self._corrections(move)
        self.assertEqual(correction.price_subtotal, 33.0)
        self.assertEqual(str(correction.service_start_date), "2026-01-01")
        self.assertEqual(self._event("late").move_line_id, correction)
        self.assertEqual(correction.usage_rating_ids.event_ids, self._event("late"))
        # nothing is late any more
        self.assertFalse(
            self.env["recurring.invoicing"]._usage_corrections(self.contract)
        )

    def test_cancelled_correction_is_billed_again(self):
        """Cancelling the invoice of a correction frees its events: their
        period is still billed, so the next run corrects it again."""
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        january = self._run("2026-02-01").customer_ids.invoice_ids
        self._send(self.contract, [("2026-01-20T10:00:00", 200, "late")])
        march = self._run("2026-03-01").customer_ids.invoice_ids
        late = self._event("late")
        self.assertEqual(late.move_line_id.move_id, march)
        march.sudo().button_cancel()
        self.assertEqual(late.state, "unbilled")
        self.assertEqual(self._event("a").move_line_id.move_id, january)
        again = self._run("2026-03-01").customer_ids.invoice_ids
        self.assertEqual(self._corrections(again).price_subtotal, 33.0)
        self.assertEqual(late.move_line_id.move_id, again)

    def test_late_search_starts_at_the_last_rating(self):
        """Events loaded before the snapshot of the line's last rating were
        seen by its run: the search for late events skips them."""
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        self._run("2026-02-01")
        self._send(self.contract, [("2026-01-20T10:00:00", 200, "late")])
        Invoicing = self.env["recurring.invoicing"]
        self.assertEqual(len(Invoicing._usage_corrections(self.contract)), 1)
        cr = self.env.cr
        cr.execute(
            """
            UPDATE usage_rating
               SET snapshot_xmin = ((SELECT ingest_xid FROM usage_event
                                      WHERE transaction_id = 'late')::text::bigint
                                    + 1)::text::xid8
             WHERE contract_line_id = %s
            """,
            [self.line.id],
        )
        self.assertFalse(Invoicing._usage_corrections(self.contract))

    def test_billed_event_is_locked(self):
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        self._run("2026-02-01")
        event = self._event("a")
        self.assertEqual(event.state, "billed")
        self.assertEqual(
            self.env["usage.event"].search([("state", "=", "billed")]), event
        )
        self.assertEqual(
            self.env["usage.event"].search(
                [("rating_id", "in", self.line.usage_rating_ids.ids)]
            ),
            event,
        )
        with self.assertRaises(UserError):
            event.sudo().unlink()
        with self.assertRaises(UserError):
            event.sudo().write({"source": "other"})

    def test_referenced_records_cannot_be_deleted(self):
        """No foreign key: the ORM refuses to delete what events refer to."""
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        record = self._import_record(
            b"contract,metric,timestamp,quantity,transaction_id\n"
            + f"{self.contract.name},api_calls,2026-01-11,1,i1\n".encode()
        )
        record.action_import()
        self.assertEqual(record.state, "done")
        for target in (
            self.line.sudo(),
            self.contract.sudo(),
            self.metric.sudo(),
            record.sudo(),
        ):
            with self.assertRaises(UserError):
                target.unlink()
        # without events they go
        spare = self._usage_contract(partner=self.partner_b)
        spare.sudo().line_ids.filtered("usage_metric_id").unlink()
        self.assertEqual(len(spare.line_ids), 1)
