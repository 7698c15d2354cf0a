# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestUsageBilling(UsageCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract()

    def _usage_lines(self, move):
        return move.invoice_line_ids.filtered("usage_rating_ids")

    def test_usage_fee_and_one_off_charge_on_one_invoice(self):
        self.policy.sudo().include_sale_orders = True
        self._run("2026-01-01")  # January's hosting, in advance
        self._send(
            self.contract,
            [
                ("2026-01-03T10:00:00", 1000, "a"),
                ("2026-01-31T23:59:59", 532, "b"),
                ("2026-02-01T00:00:00", 7, "c"),  # February's
            ],
        )
        fee = (
            self.env["product.product"]
            .sudo()
            .create({"name": "Setup", "type": "service", "list_price": 50.0})
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
        run = self._run("2026-02-01")
        move = run.customer_ids.invoice_ids
        self.assertEqual(len(move), 1)
        usage = self._usage_lines(move)
        self.assertEqual(len(usage), 1)
        self.assertEqual(usage.price_subtotal, 259.80)
        self.assertEqual(str(usage.service_start_date), "2026-01-01")
        self.assertEqual(str(usage.service_end_date), "2026-01-31")
        self.assertIn("1,000 × 0.18", usage.name)
        self.assertIn("532 × 0.15", usage.name)
        self.assertEqual(len(usage.usage_event_ids), 2)
        self.assertEqual(usage.usage_rating_ids.event_count, 2)
        # hosting for February, the usage of January, the order's setup fee
        self.assertEqual(move.amount_untaxed, 100.0 + 259.80 + 50.0)
        self.assertEqual(order.invoice_status, "invoiced")
        # the usage period is in the ledger: running again bills nothing
        self.assertFalse(self._run("2026-02-01").customer_ids.invoice_ids)
        february = self.env["usage.event"].search([("transaction_id", "=", "c")])
        self.assertEqual(february.state, "unbilled")

    def test_preview_shows_the_usage_the_run_bills(self):
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 1200, "a")])
        with freeze_time("2026-02-01"):
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run.action_preview()
        preview = run.customer_ids.preview_line_ids.filtered(
            lambda line: line.product_id == self.usage_product
        )
        self.assertEqual(preview.price_subtotal, 210.0)
        self.assertFalse(self.env["usage.rating"].search([]))
        self.assertEqual(
            self.env["usage.event"].search([("transaction_id", "=", "a")]).state,
            "unbilled",
        )
        with freeze_time("2026-02-01"), self._no_commit():
            run._start()
            run._process()
        self.assertEqual(
            run.customer_ids.amount_untaxed, run.customer_ids.preview_amount
        )
        self.assertEqual(
            self._usage_lines(run.customer_ids.invoice_ids).price_subtotal, 210.0
        )

    def test_late_events_are_billed_as_a_correction_naming_their_period(self):
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 900, "a")])
        self._run("2026-02-01")
        # late: January is billed (900 × 0.18 = 162)
        self._send(self.contract, [("2026-01-20T10:00:00", 200, "late")])
        self._send(self.contract, [("2026-02-10T10:00:00", 10, "feb")])
        run = self._run("2026-03-01")
        lines = self._usage_lines(run.customer_ids.invoice_ids)
        correction = lines.filtered(
            lambda line: line.usage_rating_ids.kind == "correction"
        )
        # 1,100 calls cost 1,000 × 0.18 + 100 × 0.15 = 195: 33 more
        self.assertEqual(correction.price_subtotal, 33.0)
        self.assertEqual(str(correction.service_start_date), "2026-01-01")
        self.assertIn("900 → 1,100", correction.name)
        self.assertEqual(correction.usage_event_ids.transaction_id, "late")
        regular = lines - correction
        self.assertEqual(regular.price_subtotal, 1.80)

    def test_included_units_minimum_and_groups(self):
        self.metric.sudo().group_by_property = "region"
        contract = self._usage_contract(
            partner=self.partner_b,
            usage_price_model="per_unit",
            usage_price=2.0,
            usage_tier_ids=[],
            usage_included=10,
            usage_minimum=100.0,
        )
        self._run("2026-01-01")
        content = self._jsonl(
            [
                {
                    "contract": contract.name,
                    "metric": "api_calls",
                    "timestamp": "2026-01-05T10:00:00",
                    "quantity": quantity,
                    "transaction_id": tid,
                    "properties": {"region": region},
                }
                for quantity, tid, region in ((15, "e1", "eu"), (20, "u1", "us"))
            ]
        )
        self._import_record(content, "jsonl", source="app").action_import()
        run = self._run("2026-02-01")
        move = run.customer_ids.invoice_ids.filtered(
            lambda m: m.partner_id == self.partner_b
        )
        lines = self._usage_lines(move)
        by_kind = {
            (line.usage_rating_ids.kind, line.usage_rating_ids.group_key): line
            for line in lines
        }
        # 15 - 10 included = 5 × 2; 20 - 10 = 10 × 2; minimum 100: true-up 70
        self.assertEqual(by_kind[("usage", "eu")].price_subtotal, 10.0)
        self.assertEqual(by_kind[("usage", "us")].price_subtotal, 20.0)
        self.assertEqual(by_kind[("true_up", "")].price_subtotal, 70.0)
        self.assertEqual(len(contract.period_ids), 3)  # hosting ×2, usage ×1

    def test_cancelled_invoice_frees_its_events(self):
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 100, "a")])
        move = self._run("2026-02-01").customer_ids.invoice_ids
        event = self.env["usage.event"].search([("transaction_id", "=", "a")])
        self.assertEqual(event.move_line_id.move_id, move)
        move.sudo().button_cancel()
        self.assertEqual(event.state, "unbilled")
        again = self._run("2026-02-01").customer_ids.invoice_ids
        self.assertEqual(self._usage_lines(again).price_subtotal, 18.0)
        self.assertEqual(event.move_line_id.move_id, again)

    def test_companies_do_not_see_each_others_events(self):
        self._send(self.contract, [("2026-01-10T10:00:00", 100, "a")])
        other = self.other_company
        other_user = self.billing_user.sudo().copy(
            {
                "login": "other_billing",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
            }
        )
        self.assertFalse(self.env["usage.event"].with_user(other_user).search([]))

    def test_a_second_worker_cannot_bill_the_same_events(self):
        self._run("2026-01-01")
        self._send(self.contract, [("2026-01-10T10:00:00", 100, "a")])
        self._run("2026-02-01")
        self._send(self.contract, [("2026-01-11T10:00:00", 5, "late")])
        Invoicing = self.env["recurring.invoicing"]
        day = date(2026, 3, 1)
        with freeze_time(day):
            # both workers prepared the same charges (the correction included)
            prepared = Invoicing._prepare_invoices(self.contract, day)
            Invoicing._create_invoices(self.contract, day, post=False)
            with (
                self.assertRaises(Exception),  # noqa: B017 (a unique violation or a UserError)
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                Invoicing._create_invoices(
                    self.contract, day, post=False, invoices=prepared
                )
        late = self.env["usage.event"].search([("transaction_id", "=", "late")])
        self.assertEqual(len(late.rating_id), 1)
        self.assertEqual(
            self.env["usage.rating"].search_count(
                [("contract_id", "=", self.contract.id), ("kind", "=", "correction")]
            ),
            1,
        )

    def test_current_usage_estimate_and_threshold_alert(self):
        self.contract.line_ids.filtered("usage_metric_id").usage_alert_threshold = 1000
        self._send(self.contract, [("2026-03-05T10:00:00", 1200, "a")])
        with freeze_time("2026-03-10"):
            (current,) = self.contract._usage_current()
            self.assertEqual(str(current["start"]), "2026-03-01")
            self.assertEqual(current["quantity"], 1200)
            self.assertEqual(current["rated"].amount, 210)
            self.assertIn("1200", self.contract.usage_current_html)
            self.env["recurring.contract"]._cron_usage_alerts()
            self.env["recurring.contract"]._cron_usage_alerts()
        activities = self.contract.activity_ids.filtered(
            lambda a: "threshold" in (a.summary or "")
        )
        self.assertEqual(len(activities), 1)

    def test_late_policy_is_a_billing_setting(self):
        manager = new_test_user(
            self.env(su=True),
            login="usage_manager",
            groups="recurring_billing.group_billing_manager",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        Settings = self.env["recurring.billing.settings"].with_user(manager)
        self.assertEqual(
            Settings.default_get(["usage_late_policy"])["usage_late_policy"],
            "correct",
        )
        Settings.create({"usage_late_policy": "refuse"}).action_save()
        self.assertEqual(self.env.company.usage_late_policy, "refuse")
