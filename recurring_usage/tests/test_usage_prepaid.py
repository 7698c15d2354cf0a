# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestUsagePrepaid(UsageCommon):
    """Hosting (100 a month, in advance) and API calls at 0.10 with 50.00 a
    month prepaid: the 50.00 is billed at the start of each month, the month's
    usage is drawn from it and only the rest is billed, in arrears."""

    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract(
            usage_price_model="per_unit",
            usage_price=0.10,
            usage_tier_ids=[],
            usage_minimum=50.0,
            usage_prepaid=True,
        )
        self.line = self.contract.line_ids.filtered("usage_metric_id")

    def _invoice(self, day):
        moves = self._run(day).customer_ids.invoice_ids
        self.assertEqual(len(moves), 1)
        return moves

    def _kinds(self, move):
        lines = move.invoice_line_ids.filtered("usage_rating_ids")
        return {
            line.usage_rating_ids.kind: line.price_subtotal
            for line in lines.sorted("id")
        }

    def test_prepaid_billed_in_advance_and_drawn_down(self):
        january = self._invoice("2026-01-01")
        self.assertEqual(self._kinds(january), {"prepaid": 50.0})
        self.assertEqual(january.amount_untaxed, 150.0)
        prepaid_line = january.invoice_line_ids.filtered("usage_rating_ids")
        self.assertEqual(str(prepaid_line.service_start_date), "2026-01-01")
        self.assertEqual(str(prepaid_line.service_end_date), "2026-01-31")
        self.assertIn("Prepaid usage", prepaid_line.name)
        # the same day again: nothing
        self.assertFalse(self._run("2026-01-01").customer_ids.invoice_ids)

        self._send(self.contract, [("2026-01-10T10:00:00", 300, "a")])  # 30.00, covered
        february = self._invoice("2026-02-01")
        self.assertEqual(
            self._kinds(february), {"usage": 30.0, "drawdown": -30.0, "prepaid": 50.0}
        )
        self.assertEqual(february.amount_untaxed, 100.0 + 50.0)
        drawdown = february.invoice_line_ids.filtered(
            lambda line: line.usage_rating_ids.kind == "drawdown"
        )
        # a credit line: negative quantity, positive price (EN 16931 BR-27)
        self.assertEqual(drawdown.quantity, -1)
        self.assertEqual(drawdown.price_unit, 30.0)

        self._send(
            self.contract, [("2026-02-10T10:00:00", 800, "b")]
        )  # 80.00: 30.00 more
        march = self._invoice("2026-03-01")
        self.assertEqual(
            self._kinds(march), {"usage": 80.0, "drawdown": -50.0, "prepaid": 50.0}
        )
        self.assertEqual(march.amount_untaxed, 100.0 + 30.0 + 50.0)

        # late events: January had 20.00 of its prepaid amount left, February
        # nothing
        self._send(
            self.contract,
            [
                ("2026-01-20T10:00:00", 100, "late-jan"),
                ("2026-02-20T10:00:00", 100, "late-feb"),
            ],
        )
        april = self._invoice("2026-04-01")
        corrections = april.invoice_line_ids.filtered(
            lambda line: line.usage_rating_ids.kind == "correction"
        )
        self.assertEqual(sorted(corrections.mapped("price_subtotal")), [10.0, 10.0])
        drawdowns = april.invoice_line_ids.filtered(
            lambda line: line.usage_rating_ids.kind == "drawdown"
        )
        self.assertEqual(drawdowns.mapped("price_subtotal"), [-10.0])
        self.assertEqual(str(drawdowns.service_start_date), "2026-01-01")
        # March's usage: none, fully covered (no line); April's prepaid
        self.assertEqual(april.amount_untaxed, 100.0 + 50.0 + 10.0 + 10.0 - 10.0)

    def test_preview_shows_the_prepaid_amount(self):
        run = self.env["bill.run"].create({"date": "2026-01-01"})
        with self._no_commit():
            run.action_preview()
        self.assertEqual(run.preview_amount, 150.0)
        self.assertFalse(self.env["usage.rating"].search([("kind", "=", "prepaid")]))

    def test_prepaid_only_contract_falls_due_at_period_start(self):
        contract = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            lines=[
                {
                    "product_id": self.usage_product.id,
                    "price_unit": 0.0,
                    "usage_metric_id": self.metric.id,
                    "usage_price_model": "per_unit",
                    "usage_price": 0.10,
                    "usage_minimum": 20.0,
                    "usage_prepaid": True,
                }
            ],
            partner_id=self.partner_b.id,
        )
        self.assertEqual(str(contract.next_invoice_date), "2026-01-01")
        run = self._run("2026-01-01")
        move = run.customer_ids.filtered(
            lambda customer: customer.partner_id == self.partner_b
        ).invoice_ids
        self.assertEqual(move.amount_untaxed, 20.0)
        self.assertEqual(str(contract.next_invoice_date), "2026-02-01")

    def test_cancelled_invoice_frees_the_prepaid_period(self):
        january = self._invoice("2026-01-01")
        if january.state == "posted":
            january.button_draft()
        january.button_cancel()
        self.assertFalse(self.env["usage.rating"].search([("kind", "=", "prepaid")]))
        again = self._invoice("2026-01-01")
        self.assertEqual(self._kinds(again), {"prepaid": 50.0})

    def test_prepaid_needs_an_amount(self):
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            self.line.usage_minimum = 0.0
