# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import UsageCommon


class WorkerKilled(BaseException):
    """Stands for the death of the worker process: not an ``Exception``, so
    nothing in the run records it; the open savepoint is rolled back as the
    killed transaction would be."""


@tagged("post_install", "-at_install")
class TestUsageResume(UsageCommon):
    def setUp(self):
        super().setUp()
        self.contracts = self._usage_contract() | self._usage_contract(
            partner=self.partner_b
        )
        self._run("2026-01-01")  # January's hosting, in advance
        rows = []
        for contract in self.contracts:
            for day in range(1, 29, 3):
                rows.append(
                    f"{contract.name},api_calls,2026-01-{day:02d}T08:00:00,100,"
                    f"{contract.name}-{day}"
                )
        report = self._ingest_csv(rows)
        self.assertTrue(report["stored"], report)
        self.events = self.env["usage.event"].search(
            [("contract_id", "in", self.contracts.ids)]
        )
        self.assertEqual(len(self.events), 20)

    def test_killed_after_claiming_then_resumed_bills_each_event_once(self):
        """The worker dies on the second customer after its events were
        claimed, before the commit: the claim dies with it; resuming bills
        that customer, and every event is billed once."""
        Invoicing = type(self.env["recurring.invoicing"])
        real_claim = Invoicing._usage_claim_events
        calls = []

        def claim_then_die(invoicing, moves):
            real_claim(invoicing, moves)
            calls.append(moves.partner_id)
            if len(calls) == 2:
                raise WorkerKilled

        with freeze_time("2026-02-01"), self._no_commit():
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run._start()
            killed = False
            with patch.object(Invoicing, "_usage_claim_events", claim_then_die):
                try:
                    run._process(batch_size=1)
                except WorkerKilled:
                    killed = True
            self.assertTrue(killed)
            self.assertEqual(run.state, "running")
            self.assertEqual(run.customer_ids.mapped("state"), ["done", "pending"])
            billed = self.events.filtered("rating_id")
            self.assertEqual(len(billed), 10)
            self.assertEqual(len(billed.contract_id), 1)
            # resumed (by the cron or the Resume button)
            run._process(batch_size=1)
        self.assertEqual(run.state, "done")
        moves = run.customer_ids.invoice_ids
        self.assertEqual(len(moves), 2)
        ratings = self.env["usage.rating"].search([("move_id", "in", moves.ids)])
        self.assertEqual(len(ratings), 2)
        self.assertEqual(ratings.mapped("event_count"), [10, 10])
        self.assertEqual(self.events.rating_id, ratings)
        for rated in ratings:
            self.assertEqual(rated.event_ids.contract_id, rated.contract_id)
            self.assertEqual(rated.amount, 180.0)  # 1,000 × 0.18
        # a second run of the same day bills nothing more
        self.assertFalse(self._run("2026-02-01").customer_ids.invoice_ids)
        self.assertEqual(
            self.env["usage.rating"].search_count(
                [("contract_id", "in", self.contracts.ids)]
            ),
            2,
        )
