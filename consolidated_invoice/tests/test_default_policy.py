# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.recurring_billing.tests.common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestDefaultPolicy(RecurringBillingCommon):
    """No policy configured by hand: the one shipped with the company
    consolidates a customer's contracts."""

    @classmethod
    def _setup_contract_by_contract_invoicing(cls):
        """Keep the policy the company got when it was created."""

    def test_contracts_of_a_customer_on_one_invoice(self):
        policy = self.env.company.consolidation_policy_id
        self.assertTrue(policy)
        partners = (
            self.env["res.partner"]
            .sudo()
            .create([{"name": f"Default policy {count}"} for count in (1, 2, 4)])
        )
        for count, partner in zip((1, 2, 4), partners, strict=True):
            for _i in range(count):
                self._contract(
                    "2026-01-01", self.monthly_calendar, partner_id=partner.id
                )
        with freeze_time("2026-01-01"), self._no_commit():
            run = self.env["bill.run"].create({"date": "2026-01-01"})
            run.action_preview()
            self.assertEqual(run.customer_ids.mapped("preview_invoice_count"), [1] * 3)
            self.assertFalse(any(run.customer_ids.mapped("split_reason")))
            run._start()
            run._process()
        for customer in run.customer_ids:
            move = customer.invoice_ids
            self.assertEqual(len(move), 1)
            self.assertEqual(move.recurring_contract_ids, customer.contract_ids)
            sections = move.invoice_line_ids.filtered(
                lambda line: line.display_type == "line_section"
            )
            self.assertEqual(len(sections), len(customer.contract_ids))

    def test_contracts_keep_their_billing_day(self):
        """Installing the addon moves no period: a contract billed on the
        15th stays on the 15th, its first period not prorated."""
        self.assertEqual(
            self.env.company.consolidation_policy_id.billing_day, "contract"
        )
        on_the_15th = (
            self.env["recurring.rule"]
            .sudo()
            .create(
                {
                    "name": "Monthly on the 15th",
                    "unit": "month",
                    "billing_mode": "calendar",
                    "billing_day": "15",
                }
            )
        )
        contracts = self._contract("2026-01-15", on_the_15th) | self._contract(
            "2026-01-15", on_the_15th, lines=[{"product_id": self.support.id}]
        )
        with freeze_time("2026-01-15"), self._no_commit():
            run = self.env["bill.run"].create({"date": "2026-01-15"})
            run._start()
            run._process()
        move = run.customer_ids.invoice_ids
        self.assertEqual(len(move), 1)
        lines = move.invoice_line_ids.filtered("product_id")
        self.assertEqual(lines.recurring_period_ids.contract_id, contracts)
        self.assertEqual(set(lines.mapped("service_start_date")), {date(2026, 1, 15)})
        self.assertEqual(set(lines.mapped("service_end_date")), {date(2026, 2, 14)})
        self.assertEqual(sorted(lines.mapped("price_unit")), [30.0, 100.0])
