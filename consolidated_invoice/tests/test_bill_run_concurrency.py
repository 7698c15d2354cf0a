# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bill runs in two real transactions at once.

The test's own cursor never commits, so nothing it creates is visible to
another transaction. These tests therefore build their data, and run the
workers, in real cursors of their own (``registry.cursor()``, which a
``TransactionCase`` does not redirect to the test cursor), commit them, and
remove what they committed at the end.
"""

import threading
import time
from contextlib import contextmanager
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.consolidated_invoice.models import bill_run_customer

CUSTOMERS = 6
CONTRACTS_PER_CUSTOMER = 2
DATE = "2026-01-01"


@tagged("post_install", "-at_install")
class TestBillRunConcurrency(TransactionCase):
    @contextmanager
    def _real_env(self):
        """An environment on a real cursor, committed on success. Its
        transaction is bound to the test's registry directly: the registry
        class lock, which ``Environment`` would take to look the registry up,
        is held by the thread loading the modules while tests run."""
        with self.registry.cursor() as cr:
            cr.transaction = Transaction(self.registry)
            yield api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self._real_env() as env:
            company = env["res.company"].create(
                {"name": f"Concurrent Billing ({self._testMethodName})"}
            )
            env["account.chart.template"].try_loading(
                "generic_coa", company, install_demo=False
            )
            env = env(context={"allowed_company_ids": company.ids})
            policy = env["consolidation.policy"].create(
                {"name": "Monthly", "billing_day": "1", "company_id": company.id}
            )
            company.consolidation_policy_id = policy
            rule = env["recurring.rule"].create(
                {
                    "name": "Monthly on the 1st",
                    "unit": "month",
                    "billing_mode": "calendar",
                    "company_id": company.id,
                }
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrent hosting",
                    "type": "service",
                    "list_price": 100.0,
                    "recurring_ok": True,
                    "taxes_id": [Command.clear()],
                }
            )
            partners = env["res.partner"].create(
                [{"name": f"Concurrent customer {i}"} for i in range(CUSTOMERS)]
            )
            contracts = env["recurring.contract"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date_start": DATE,
                        "date_end": "2026-01-31",
                        "rule_id": rule.id,
                        "line_ids": [Command.create({"product_id": product.id})],
                    }
                    for partner in partners
                    for _i in range(CONTRACTS_PER_CUSTOMER)
                ]
            )
            contracts.action_activate()
            self.company_id = company.id
            self.partner_ids = partners.ids
            self.contract_ids = contracts.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self._real_env() as env:
            env = env(context={"allowed_company_ids": [self.company_id]})
            runs = env["bill.run"].search([("company_id", "=", self.company_id)])
            moves = runs.customer_ids.invoice_ids | env["account.move"].search(
                [("company_id", "=", self.company_id)]
            )
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            runs.unlink()
            contracts = env["recurring.contract"].browse(self.contract_ids)
            contracts.write({"active": False})

    def _run_in_threads(self, targets):
        """Run each ``target(env)`` in its own thread and real transaction, all
        released at once; returns the exceptions raised, if any."""
        barrier = threading.Barrier(len(targets))
        failures = []

        def work(target):
            try:
                with self._real_env() as env:
                    env = env(context={"allowed_company_ids": [self.company_id]})
                    barrier.wait(timeout=30)
                    target(env)
            except Exception as error:
                failures.append(error)

        # the loser of a race may hit the ledger's unique index or a
        # serialization failure, which the bill run handles; Odoo's cursor
        # still logs the failed statement
        self.enterContext(mute_logger("odoo.sql_db"))

        threads = [threading.Thread(target=work, args=(t,)) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        return failures

    def _new_run(self):
        with self._real_env() as env:
            env = env(context={"allowed_company_ids": [self.company_id]})
            run = env["bill.run"].create({"date": DATE, "company_id": self.company_id})
            run._start()
            return run.id

    def _check_billed_once(self):
        """Every customer has exactly one invoice, every contract period one
        ledger row, whatever the workers did. Returns each run's state and
        its customer lines' states."""
        with self._real_env() as env:
            env = env(context={"allowed_company_ids": [self.company_id]})
            contracts = env["recurring.contract"].browse(self.contract_ids)
            periods = contracts.period_ids.filtered(lambda p: p.state != "cancelled")
            self.assertEqual(len(periods), len(contracts))
            self.assertEqual(
                len(
                    set(periods.mapped(lambda p: (p.contract_line_id, p.period_start)))
                ),
                len(contracts),
            )
            moves = env["account.move"].search(
                [
                    ("company_id", "=", self.company_id),
                    ("move_type", "=", "out_invoice"),
                ]
            )
            self.assertEqual(len(moves), CUSTOMERS)
            self.assertEqual(
                sorted(moves.partner_id.ids), sorted(self.partner_ids), "one each"
            )
            self.assertEqual(periods.move_line_id.move_id, moves)
            self.assertTrue(all(move.amount_untaxed == 200.0 for move in moves))
            runs = env["bill.run"].search([("company_id", "=", self.company_id)])
            return [(run.state, run.customer_ids.mapped("state")) for run in runs]

    def test_two_runs_of_the_same_day_at_once(self):
        """Two runs for the same date (two servers, or the daily cron and a
        manual run): each customer is billed by one of them only."""
        run_ids = [self._new_run(), self._new_run()]

        def process(run_id):
            return lambda env: env["bill.run"].browse(run_id)._process(batch_size=1)

        failures = self._run_in_threads([process(run_id) for run_id in run_ids])
        self.assertFalse(failures)
        runs = self._check_billed_once()
        self.assertEqual([state for state, _lines in runs], ["done", "done"])
        lines = [state for _state, states in runs for state in states]
        self.assertEqual(lines.count("done"), CUSTOMERS, "each billed by one run")
        self.assertEqual(lines.count("nothing"), CUSTOMERS, "and left by the other")

    def test_two_workers_on_one_run(self):
        """Two workers on the same run claim different customers (row locks
        skipped, not waited for) and the run is concluded once."""
        run_id = self._new_run()
        claimed, lock = [], threading.Lock()
        Customer = type(self.env["bill.run.customer"])
        real_bill_batch = Customer._bill_batch

        def recording_bill_batch(customers):
            with lock:
                claimed.extend(customers.ids)
            return real_bill_batch(customers)

        def process(env):
            env["bill.run"].browse(run_id)._process(batch_size=1)

        with patch.object(Customer, "_bill_batch", recording_bill_batch):
            failures = self._run_in_threads([process, process])
        self.assertFalse(failures)
        [(state, lines)] = self._check_billed_once()
        self.assertEqual(state, "done")
        self.assertEqual(len(claimed), len(set(claimed)), "no customer claimed twice")
        self.assertEqual(len(claimed), CUSTOMERS)
        self.assertEqual(lines, ["done"] * CUSTOMERS)

    def _hold_contract(self, held, release):
        """A user saving the first customer's first contract: its row stays
        locked until ``release`` is set, then the change is committed."""

        def user():
            with self._real_env() as env:
                env = env(context={"allowed_company_ids": [self.company_id]})
                contract = env["recurring.contract"].browse(self.contract_ids[0])
                contract.description = "Edited while billing"
                env.flush_all()
                held.set()
                release.wait(timeout=60)

        thread = threading.Thread(target=user)
        thread.start()
        self.assertTrue(held.wait(timeout=30))
        return thread

    def _process_in_thread(self, run_id, failures):
        def worker():
            try:
                with self._real_env() as env:
                    env = env(context={"allowed_company_ids": [self.company_id]})
                    env["bill.run"].browse(run_id)._process()
            except Exception as error:
                failures.append(error)

        return threading.Thread(target=worker)

    def test_contract_saved_by_a_user_is_waited_for(self):
        """A contract locked by a user saving it is waited for, never left off
        its customer's invoice: once the user's change is committed, the
        customer is retried and billed with all its contracts."""
        run_id = self._new_run()
        held, release, failures = threading.Event(), threading.Event(), []
        self.enterContext(mute_logger("odoo.sql_db"))
        user = self._hold_contract(held, release)
        worker = self._process_in_thread(run_id, failures)
        worker.start()
        time.sleep(1)  # the worker now waits for the contract's lock
        release.set()
        user.join(timeout=60)
        worker.join(timeout=120)
        self.assertFalse(worker.is_alive())
        self.assertFalse(failures)
        [(state, lines)] = self._check_billed_once()
        self.assertEqual(state, "done")
        self.assertEqual(lines, ["done"] * CUSTOMERS)
        with self._real_env() as env:
            contract = env["recurring.contract"].browse(self.contract_ids[0])
            self.assertEqual(contract.description, "Edited while billing")
            customer = env["bill.run.customer"].search(
                [("run_id", "=", run_id), ("partner_id", "=", self.partner_ids[0])]
            )
            self.assertEqual(customer.retry_count, 1, "retried once, after the save")

    def test_contract_held_too_long_fails_its_customer(self):
        """A contract that stays locked past every retry: its customer is
        recorded in error with the reason, nothing of it billed, the others
        billed."""
        run_id = self._new_run()
        held, release, failures = threading.Event(), threading.Event(), []
        self.enterContext(mute_logger("odoo.sql_db"))
        self.enterContext(
            patch.object(bill_run_customer, "CONTRACT_LOCK_TIMEOUT_MS", 200)
        )
        self.enterContext(patch.object(bill_run_customer, "RETRY_DELAYS", (0, 0)))
        user = self._hold_contract(held, release)
        worker = self._process_in_thread(run_id, failures)
        worker.start()
        worker.join(timeout=120)
        release.set()
        user.join(timeout=60)
        self.assertFalse(worker.is_alive())
        self.assertFalse(failures)
        with self._real_env() as env:
            env = env(context={"allowed_company_ids": [self.company_id]})
            run = env["bill.run"].browse(run_id)
            self.assertEqual(run.state, "partly_failed")
            held_customer = run.customer_ids.filtered(
                lambda c: c.partner_id.id == self.partner_ids[0]
            )
            self.assertEqual(held_customer.state, "error")
            self.assertEqual(held_customer.retry_count, 3)
            self.assertIn("being changed by another user", held_customer.message)
            self.assertFalse(held_customer.invoice_ids)
            self.assertFalse(
                env["recurring.contract"]
                .search([("commercial_partner_id", "=", self.partner_ids[0])])
                .period_ids
            )
            others = run.customer_ids - held_customer
            self.assertEqual(others.mapped("state"), ["done"] * (CUSTOMERS - 1))
