# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBillRunTour(HttpCase):
    def test_preview_and_run_a_bill_run(self):
        new_test_user(
            self.env,
            login="tour_bill_runner",
            password="tour_bill_runner",
            groups="recurring_billing.group_billing_user",
        )
        customer = self.env["res.partner"].create({"name": "Tour Billing Customer"})
        policy = self.env["consolidation.policy"].create({"name": "Tour monthly"})
        self.env.company.consolidation_policy_id = policy
        rule = self.env["recurring.rule"].create(
            {"name": "Tour monthly anniversary", "billing_mode": "anniversary"}
        )
        product = self.env["product.product"].create(
            {"name": "Tour service", "type": "service", "list_price": 25.0}
        )
        contracts = self.env["recurring.contract"].create(
            [
                {
                    "partner_id": customer.id,
                    "rule_id": rule.id,
                    "line_ids": [Command.create({"product_id": product.id})],
                }
                for _i in range(2)
            ]
        )
        contracts.action_activate()
        self.start_tour(
            "/odoo/action-consolidated_invoice.bill_run_action",
            "bill_run_tour",
            login="tour_bill_runner",
        )
        run = self.env["bill.run"].search([], order="id desc", limit=1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_count, 1)
        self.assertEqual(run.customer_ids.invoice_ids.amount_untaxed, 50.0)

    def test_running_run_followed_live(self):
        """The form of a run billed by someone else reloads on the bus."""
        new_test_user(
            self.env,
            login="tour_bill_watcher",
            password="tour_bill_watcher",
            groups="recurring_billing.group_billing_user",
        )
        customer = self.env["res.partner"].create({"name": "Tour Live Customer"})
        self.env.company.consolidation_policy_id = self.env[
            "consolidation.policy"
        ].create({"name": "Tour live monthly"})
        rule = self.env["recurring.rule"].create(
            {"name": "Tour live anniversary", "billing_mode": "anniversary"}
        )
        product = self.env["product.product"].create(
            {"name": "Tour live service", "type": "service", "list_price": 10.0}
        )
        contract = self.env["recurring.contract"].create(
            {
                "partner_id": customer.id,
                "rule_id": rule.id,
                "line_ids": [Command.create({"product_id": product.id})],
            }
        )
        contract.action_activate()
        run = self.env["bill.run"].create({"partner_ids": [Command.set(customer.ids)]})
        run._start()
        self.assertEqual((run.state, run.pending_count), ("running", 1))
        self.start_tour(
            f"/odoo/action-consolidated_invoice.bill_run_action/{run.id}",
            "bill_run_progress_tour",
            login="tour_bill_watcher",
        )
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_count, 1)
