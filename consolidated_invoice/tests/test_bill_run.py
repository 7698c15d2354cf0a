# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ConsolidationCommon


@tagged("post_install", "-at_install")
class TestBillRun(ConsolidationCommon):
    def _three_contracts(self, partner=None, **values):
        partner = partner or self.partner_a
        return (
            self._contract(
                "2026-01-01", self.monthly_calendar, partner_id=partner.id, **values
            )
            | self._contract(
                "2026-01-01",
                self.monthly_calendar,
                partner_id=partner.id,
                lines=[{"product_id": self.support.id}],
                **values,
            )
            | self._contract("2026-01-01", self.yearly, partner_id=partner.id, **values)
        )

    def test_one_invoice_per_customer_with_a_section_per_contract(self):
        contracts = self._three_contracts()
        run = self._run("2026-01-01")
        self.assertEqual(run.state, "done")
        move = run.customer_ids.invoice_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.recurring_contract_ids, contracts)
        sections = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        )
        self.assertEqual(len(sections), 3)
        self.assertEqual(
            sorted(move.invoice_line_ids.filtered("product_id").mapped("price_unit")),
            [30.0, 100.0, 100.0],
        )
        self.assertIn(contracts[0].name, move.invoice_origin)
        # every line keeps its service period
        yearly = move.invoice_line_ids.filtered(
            lambda line: line.recurring_period_ids.contract_id == contracts[2]
        )
        self.assertEqual(str(yearly.service_end_date), "2026-12-31")

    def test_contracts_and_a_sale_order_on_one_invoice(self):
        self.policy.sudo().include_sale_orders = True
        contracts = self._three_contracts()
        fee = (
            self.env["product.product"]
            .sudo()
            .create(
                {
                    "name": "Setup fee",
                    "type": "service",
                    "list_price": 50.0,
                    "invoice_policy": "order",
                    "taxes_id": [Command.set(self.tax_sale_a.ids)],
                }
            )
        )
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_a.id,
                    "order_line": [Command.create({"product_id": fee.id})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.invoice_status, "to invoice")
        run = self._run("2026-01-01")
        move = run.customer_ids.invoice_ids
        self.assertEqual(len(move), 1)
        sections = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        )
        self.assertEqual(len(sections), 4)
        self.assertIn(order.name, sections.mapped("name"))
        self.assertIn(order.name, move.invoice_origin)
        self.assertEqual(move.recurring_contract_ids, contracts)
        self.assertEqual(move.amount_untaxed, 280.0)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(run.customer_ids.preview_line_count, 4)

    def test_preview_and_run_agree(self):
        self._three_contracts()
        self._contract(
            "2026-01-15",
            self.monthly_calendar,
            partner_id=self.partner_b.id,
            proration_method="30_360",
        )
        with freeze_time("2026-02-01"):
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run.action_preview()
        self.assertEqual(run.state, "previewed")
        self.assertFalse(run.customer_ids.invoice_ids)
        preview = {
            c.partner_id: (
                c.preview_invoice_count,
                c.preview_line_count,
                c.preview_amount,
            )
            for c in run.customer_ids
        }
        with freeze_time("2026-02-01"), self._no_commit():
            run._start()
            run._process()
        actual = {
            c.partner_id: (
                c.invoice_count,
                len(c.invoice_ids.invoice_line_ids.filtered("product_id")),
                c.amount_untaxed,
            )
            for c in run.customer_ids
        }
        self.assertEqual(preview, actual)
        self.assertEqual(len(preview), 2)

    def test_different_payment_terms_split_with_the_reason(self):
        contracts = self._three_contracts()
        contracts[0].payment_term_id = self.env.ref(
            "account.account_payment_term_30days"
        )
        with freeze_time("2026-01-01"):
            run = self.env["bill.run"].create({"date": "2026-01-01"})
            run.action_preview()
        self.assertEqual(run.customer_ids.preview_invoice_count, 2)
        self.assertIn("Payment Terms", run.customer_ids.split_reason)
        with freeze_time("2026-01-01"), self._no_commit():
            run._start()
            run._process()
        self.assertEqual(run.customer_ids.invoice_count, 2)

    def test_block_rule_stops_only_that_customer(self):
        self.policy.sudo().rule_journal = "block"
        contracts = self._three_contracts()
        other_journal = (
            self.company_data["default_journal_sale"]
            .sudo()
            .copy({"name": "Second sales journal", "code": "SAL2"})
        )
        contracts[1].journal_id = other_journal
        good = self._contract(
            "2026-01-01", self.monthly_calendar, partner_id=self.partner_b.id
        )
        with mute_logger("odoo.addons.consolidated_invoice.models.bill_run_customer"):
            run = self._run("2026-01-01")
        self.assertEqual(run.state, "partly_failed")
        blocked = run.customer_ids.filtered(lambda c: c.partner_id == self.partner_a)
        self.assertEqual(blocked.state, "error")
        self.assertIn("blocked", blocked.message)
        self.assertIn(contracts[1].name, blocked.message)
        self.assertFalse(contracts.period_ids)
        self.assertTrue(contracts[0].invoicing_error)
        self.assertEqual(good.invoice_ids, run.customer_ids.invoice_ids)

    def test_minimum_amount_carries_over(self):
        self.policy.sudo().minimum_amount = 150.0
        contract = self._contract("2026-01-01", self.monthly_calendar)
        january = self._run("2026-01-01")
        self.assertEqual(january.customer_ids.state, "carried_over")
        self.assertFalse(contract.period_ids)
        february = self._run("2026-02-01")
        move = february.customer_ids.invoice_ids
        self.assertEqual(len(move.invoice_line_ids.filtered("product_id")), 2)
        self.assertEqual(move.amount_untaxed, 200.0)

    def test_running_again_creates_nothing(self):
        self._three_contracts()
        self._run("2026-01-01")
        again = self._run("2026-01-01")
        self.assertFalse(again.customer_ids)
        self.assertEqual(again.state, "done")

    def test_resume_after_a_crash(self):
        """A worker dies while billing the second customer: the run stays
        running; resuming bills exactly the customers left."""
        self._three_contracts(self.partner_a)
        self._contract(
            "2026-01-01", self.monthly_calendar, partner_id=self.partner_b.id
        )
        Customer = type(self.env["bill.run.customer"])
        real_bill = Customer._bill
        calls = []

        def crashing_bill(customer):
            calls.append(customer.partner_id)
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return real_bill(customer)

        with freeze_time("2026-01-01"), self._no_commit():
            run = self.env["bill.run"].create({"date": "2026-01-01"})
            run._start()
            # no assertRaises: it would roll back to a savepoint, while a real
            # run has committed the first customer (chunks of one) already
            crashed = False
            with patch.object(Customer, "_bill", crashing_bill):
                try:
                    run._process(batch_size=1)
                except RuntimeError:
                    crashed = True
            self.assertTrue(crashed)
            self.assertEqual(run.state, "running")
            self.assertEqual(
                run.customer_ids.mapped("state"), ["done", "pending"], calls
            )
            run._process(batch_size=1)
        self.assertEqual(run.state, "done")
        moves = run.customer_ids.invoice_ids
        self.assertEqual(len(moves), 2)
        self.assertEqual(len(moves.invoice_line_ids.filtered("product_id")), 4)
        periods = self.env["recurring.period"].search([("move_id", "in", moves.ids)])
        self.assertEqual(len(periods), 4)

    def test_opted_out_contract_is_invoiced_separately(self):
        contracts = self._three_contracts()
        contracts[2].invoice_separately = True
        run = self._run("2026-01-01")
        self.assertEqual(run.customer_ids.invoice_count, 2)
        self.assertIn(
            f"contract {contracts[2].name} is set to be invoiced separately",
            run.customer_ids.split_reason,
        )
        self.assertNotIn("no consolidation policy", run.customer_ids.split_reason)

    def test_customer_opt_out_is_the_reason(self):
        self._three_contracts()
        self.partner_a.with_company(
            self.env.company
        ).sudo().consolidation_disabled = True
        run = self._run("2026-01-01")
        self.assertEqual(run.customer_ids.invoice_count, 3)
        self.assertEqual(
            run.customer_ids.split_reason,
            "the customer is set to invoice each contract separately",
        )

    def test_no_policy_is_the_reason(self):
        """Without any policy every contract is invoiced on its own, and the
        preview says so rather than blaming an opt-out nobody set."""
        self.env.company.sudo().consolidation_policy_id = False
        for count in (2, 3):
            partner = (
                self.env["res.partner"].sudo().create({"name": f"No policy {count}"})
            )
            for _i in range(count):
                self._contract(
                    "2026-01-01", self.monthly_calendar, partner_id=partner.id
                )
        run = self._run("2026-01-01")
        self.assertEqual(len(run.customer_ids), 2)
        for customer in run.customer_ids:
            self.assertEqual(customer.invoice_count, len(customer.contract_ids))
            self.assertEqual(
                customer.split_reason,
                "no consolidation policy: set a default one in the settings or "
                "one on the customer",
            )

    def test_co_terming_on_the_bill_cycle_day(self):
        self.policy.sudo().billing_day = "15"
        contract = self._contract("2026-01-01", self.monthly_calendar)
        move = self._run("2026-01-01").customer_ids.invoice_ids
        line = move.invoice_line_ids.filtered("product_id")
        # first period runs to the day before the bill cycle day, prorated
        self.assertEqual(str(line.service_end_date), "2026-01-14")
        self.assertAlmostEqual(line.price_unit, 45.16)  # 100 x 14/31
        self.assertEqual(str(contract.next_invoice_date), "2026-01-15")

    def test_daily_cron_uses_a_bill_run(self):
        self._three_contracts()
        with freeze_time("2026-01-01"), self._no_commit():
            self.env["bill.run"].sudo()._cron_daily()
        run = self.env["bill.run"].search([("automatic", "=", True)])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_count, 1)

    def test_contract_button_goes_through_a_one_customer_run(self):
        """Under a policy, *Create invoices* on one contract bills its customer
        as the daily run would: one consolidated invoice of every due contract
        of that customer, posted and sent as the policy says, recorded in a
        bill run of that customer only."""
        self.policy.sudo().write({"auto_post": True, "auto_send": True})
        self.partner_a.email = "billing@partner-a.example.com"
        contracts = self._three_contracts()
        other = self._contract(
            "2026-01-01", self.monthly_calendar, partner_id=self.partner_b.id
        )
        with freeze_time("2026-01-01"):
            action = contracts[0].action_create_invoices()
        run = self.env["bill.run"].search([])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.partner_ids, self.partner_a)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.user_id, self.env.user)
        move = run.customer_ids.invoice_ids
        self.assertEqual(action["res_id"], move.id)
        self.assertEqual(contracts.period_ids.move_id, move, "one invoice for all")
        self.assertEqual(move.state, "posted")
        self.assertTrue(move.is_move_sent, "sent as the policy says")
        self.assertFalse(other.period_ids, "another customer is not billed")

    def test_contract_button_with_nothing_due_leaves_no_run(self):
        contract = self._contract("2026-02-01", self.monthly_calendar)
        with freeze_time("2026-01-01"):
            contract.action_create_invoices()
        self.assertFalse(self.env["bill.run"].search([]))
        self.assertFalse(contract.period_ids)

    def test_per_contract_cron_leaves_contracts_to_bill_runs(self):
        """Bill runs have their own daily cron: the per-contract one of
        recurring_billing bills nothing under consolidated invoicing."""
        contracts = self._three_contracts()
        with freeze_time("2026-01-01"), self._no_commit():
            self.env["recurring.invoicing"].sudo()._cron_create_invoices()
        self.assertFalse(contracts.period_ids)
        self.assertFalse(self.env["bill.run"].search([("automatic", "=", True)]))

    def test_policy_warns_about_long_payment_terms(self):
        self.policy.sudo().payment_term_id = self.env.ref(
            "account.account_payment_term_45days"
        )
        self.assertFalse(self.policy.payment_term_warning)
        self.policy.sudo().payment_term_id = self.env.ref(
            "account.account_payment_term_end_following_month"
        )
        self.assertIn("45", self.policy.payment_term_warning)
