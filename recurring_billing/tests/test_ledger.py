# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
from datetime import date
from decimal import Decimal

from freezegun import freeze_time
from psycopg2 import errors

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestLedger(RecurringBillingCommon):
    """The period ledger: amounts equal to the invoice's, parts that add up,
    invoiced rows that nobody rewrites."""

    def _credit_lines(self, contract):
        credits = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        return credits.invoice_line_ids.sorted("service_start_date")

    def test_30_360_pause_and_termination_add_up_on_the_30th(self):
        """Anchor Jan 30, monthly, 30/360, prepaid 100.00: each period's
        billed and credited amounts add up to the full price, whatever the
        period's own 30E/360 length (Feb 28–Mar 29 counts 32 days)."""
        contract = self._contract(
            "2026-01-30", self.monthly, proration_method="30_360", notice_days=0
        )
        self._bill("2026-03-01")  # Jan 30–Feb 27 and Feb 28–Mar 29, 100.00 each
        with freeze_time("2026-03-17"):
            contract._pause(date(2026, 3, 17), date(2026, 4, 20), "Works")
        # Feb 28–Mar 29: kept Feb 28–Mar 16 = d30 19/32 = 59.38, credit the rest
        (pause_credit,) = self._credit_lines(contract)
        self.assertEqual(str(pause_credit.service_start_date), "2026-03-17")
        self.assertEqual(str(pause_credit.service_end_date), "2026-03-29")
        self.assertAlmostEqual(pause_credit.price_subtotal, 40.62)
        self.assertAlmostEqual(59.38 + pause_credit.price_subtotal, 100.0)
        # Mar 30–Apr 29 is billed for Apr 20–29 only: 10/30 = 33.33 (the
        # paused 20/30 would be 66.67, together 100.00)
        april = self._bill("2026-04-20").invoice_line_ids
        self.assertEqual(str(april.service_start_date), "2026-04-20")
        self.assertAlmostEqual(april.price_subtotal, 33.33)
        self.assertIn("10/30", april.name)
        # Apr 30–May 29 billed in full, then terminated on May 17: kept
        # Apr 30–May 17 = 18/30 = 60.00, credited May 18–29 = 40.00
        self._bill("2026-04-30")
        with freeze_time("2026-05-10"):
            contract._terminate(date(2026, 5, 17), "Moving")
        termination_credit = self._credit_lines(contract)[-1]
        self.assertEqual(str(termination_credit.service_start_date), "2026-05-18")
        self.assertEqual(str(termination_credit.service_end_date), "2026-05-29")
        self.assertAlmostEqual(termination_credit.price_subtotal, 40.0)
        billed = sum(
            contract.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice"
            ).mapped("amount_untaxed")
        )
        credited = sum(self._credit_lines(contract).mapped("price_subtotal"))
        # Jan 30 full + Feb 28 full + Apr 20–29 + Apr 30 full, minus the credits
        self.assertAlmostEqual(billed, 333.33)
        self.assertAlmostEqual(billed - credited, 100 + 59.38 + 33.33 + 60.0)
        self.assertFalse(self._bill("2026-06-30"))

    def test_30_360_pause_then_termination_in_one_quarter(self):
        """The quarter of the issue, Feb 28–May 29 (anchor Nov 30, 92 days in
        30E/360), paused Mar 10–Apr 9 then terminated on May 16: two credits,
        30/92 and 13/92, and the 49/92 kept add up to the price to the cent
        (the denominator 30 × 3 made it 92/90)."""
        quarterly = (
            self.env["recurring.rule"]
            .sudo()
            .create(
                {"name": "Quarterly", "unit": "quarter", "billing_mode": "anniversary"}
            )
        )
        contract = self._contract(
            "2025-11-30", quarterly, proration_method="30_360", notice_days=0
        )
        self._bill("2026-02-28")
        quarter = contract.period_ids.filtered(
            lambda p: str(p.period_start) == "2026-02-28"
        )
        self.assertEqual(str(quarter.period_end), "2026-05-29")
        with freeze_time("2026-03-10"):
            contract._pause(date(2026, 3, 10), date(2026, 4, 10), "Works")
        with freeze_time("2026-04-10"):
            self.env["recurring.contract"]._cron_update_states()
        self.assertEqual(contract.state, "active")
        with freeze_time("2026-05-01"):
            contract._terminate(date(2026, 5, 16), "Moving")
        credits = quarter.credit_move_line_ids.sorted("service_start_date")
        self.assertEqual(
            [
                (str(line.service_start_date), str(line.service_end_date))
                for line in credits
            ],
            [("2026-03-10", "2026-04-09"), ("2026-05-17", "2026-05-29")],
        )
        # 100 − 62/92 (67.39) = 32.61, then 67.39 − 49/92 (53.26) = 14.13
        self.assertEqual(credits.mapped("price_subtotal"), [32.61, 14.13])
        self.assertAlmostEqual(
            quarter.price_subtotal - sum(credits.mapped("price_subtotal")), 53.26
        )
        self.assertEqual(quarter.state, "credited")
        # nothing is billed after the last day, nothing is credited twice
        self.assertFalse(self._bill("2026-06-30", contract))
        with freeze_time("2026-05-01"):
            self.env["recurring.invoicing"]._credit_billed_days(
                contract, date(2026, 5, 17), None, "Again"
            )
        self.assertEqual(len(quarter.credit_move_line_ids), 2)

    def test_30_360_credit_of_a_whole_period_after_the_last_day(self):
        """Terminated on a 30th of a 31-day month: 30E/360 gives the 30th no
        length of its own (it counts with the 31st), so the period starting on
        it is credited in full and no line is priced at zero."""
        contract = self._contract(
            "2026-01-30", self.monthly, proration_method="30_360", notice_days=0
        )
        invoice = self._bill("2026-05-30")
        self.assertEqual(len(invoice.invoice_line_ids), 5)
        with freeze_time("2026-05-30"):
            contract._terminate(date(2026, 5, 30), "End")
        (credit,) = self._credit_lines(contract)
        self.assertEqual(str(credit.service_start_date), "2026-05-31")
        self.assertAlmostEqual(credit.price_subtotal, 100.0)
        self.assertTrue(all(invoice.invoice_line_ids.mapped("price_unit")))

    def test_ledger_and_invoice_show_the_same_amounts(self):
        """Random quantities, prices, discounts and prorated first periods:
        the amount prepared for the ledger (also the preview's) is the invoice
        line's, and the ledger's total is the invoice's untaxed amount."""
        rng = random.Random(1913)
        contracts = self.env["recurring.contract"]
        for index in range(25):
            line = {
                "product_id": self.hosting.id,
                "quantity": rng.randint(1, 20000) / 1000,
                "price_unit": rng.randint(1, 5_000_000) / 100,
                "discount": rng.choice([0, 0, 10, 12.5, rng.randint(0, 5000) / 100]),
            }
            if index % 3 == 0:  # whole quantities, no discount: the usual case
                line.update(quantity=rng.randint(1, 40), discount=0)
            contracts |= self._contract(
                f"2026-01-{rng.randint(2, 31):02d}",
                self.monthly_calendar,
                lines=[line, dict(line, quantity=rng.randint(1, 9))],
                proration_method=rng.choice(["actual_days", "30_360"]),
            )
        Invoicing = self.env["recurring.invoicing"]
        with freeze_time("2026-01-31"):
            prepared = {
                (charge["line"].id, charge["due"].period_start): (
                    Invoicing._prepare_period_values(charge)["price_subtotal"]
                )
                for invoice in Invoicing._prepare_invoices(contracts, date(2026, 1, 31))
                for charge in invoice["charges"]
            }
        moves = self._bill("2026-01-31", contracts)
        self.assertEqual(len(moves), 25)
        periods = contracts.period_ids
        self.assertEqual(len(periods), len(prepared))
        for period in periods:
            self.assertEqual(period.price_subtotal, period.move_line_id.price_subtotal)
            self.assertEqual(
                prepared[(period.contract_line_id.id, period.period_start)],
                period.move_line_id.price_subtotal,
            )
            self.assertEqual(period.price_unit_billed, period.move_line_id.price_unit)
        whole_cents = 0
        for move in moves:
            ledger = move.line_ids.recurring_period_ids
            lines = move.invoice_line_ids
            self.assertEqual(
                round(sum(ledger.mapped("price_subtotal")), 2),
                round(sum(lines.mapped("price_subtotal")), 2),
            )
            # Odoo rounds the untaxed total from the lines' exact amounts:
            # when each is a whole number of cents it is the lines' sum, and
            # the ledger's total is the invoice's untaxed amount
            exact = [
                Decimal(str(line.quantity))
                * Decimal(str(line.price_unit))
                * (100 - Decimal(str(line.discount)))
                / 100
                for line in lines
            ]
            if all(amount == round(amount, 2) for amount in exact):
                whole_cents += 1
                self.assertAlmostEqual(
                    sum(ledger.mapped("price_subtotal")),
                    move.amount_untaxed,
                    places=2,
                )
        self.assertTrue(whole_cents)

    def test_prorated_first_period_of_the_issue(self):
        """3 × 77.40 from Jan 15 (17/31): the ledger multiplied the unrounded
        prorated price (127.34), the invoice the rounded one (3 × 42.45)."""
        contract = self._contract(
            "2026-01-15",
            self.monthly_calendar,
            lines=[{"product_id": self.hosting.id, "quantity": 3, "price_unit": 77.4}],
        )
        invoice = self._bill("2026-01-15")
        self.assertAlmostEqual(invoice.invoice_line_ids.price_unit, 42.45)
        self.assertAlmostEqual(invoice.amount_untaxed, 127.35)
        self.assertAlmostEqual(contract.period_ids.price_subtotal, 127.35)

    def test_ledger_amount_of_a_tax_included_price(self):
        """A price that includes its tax (consumer prices): the ledger row,
        created with its invoice line, holds the line's untaxed amount."""
        tax = (
            self.env["account.tax"]
            .sudo()
            .create(
                {
                    "name": "TVA 20 % TTC",
                    "amount": 20.0,
                    "type_tax_use": "sale",
                    "price_include_override": "tax_included",
                }
            )
        )
        contract = self._contract(
            "2026-01-15",
            self.monthly_calendar,
            lines=[
                {
                    "product_id": self.hosting.id,
                    "quantity": 3,
                    "price_unit": 77.4,
                    "tax_ids": [Command.set(tax.ids)],
                }
            ],
        )
        invoice = self._bill("2026-01-15")
        line = invoice.invoice_line_ids.filtered("product_id")
        self.assertEqual(line.tax_ids, tax)
        self.assertAlmostEqual(line.price_subtotal, 127.35 / 1.2, delta=0.01)
        self.assertEqual(contract.period_ids.move_line_id, line)
        self.assertAlmostEqual(contract.period_ids.price_subtotal, line.price_subtotal)

    def test_invoiced_rows_are_read_only_for_everybody(self):
        contract = self._contract("2026-01-01", self.monthly_calendar, notice_days=0)
        self._bill("2026-01-01")
        period = contract.period_ids
        self.assertEqual(period.state, "invoiced")
        superuser = self.env(su=True)
        root = self.env(user=self.env.ref("base.user_root"))
        for env in (self.env, superuser, root):
            row = period.with_env(env)
            with self.assertRaises(UserError):
                row.write({"price_unit": 1.0, "quantity": 50.0})
            with self.assertRaises(UserError):
                row.unlink()
        # SQL through the ORM's cursor is refused by the database
        for query in (
            "UPDATE recurring_period SET price_unit = 1 WHERE id = %s",
            "DELETE FROM recurring_period WHERE id = %s",
        ):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(errors.IntegrityConstraintViolation),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query, [period.id])
        period.invalidate_recordset()
        self.assertEqual(period.price_unit, 100.0)
        # the credit line and the state still follow the invoices
        with freeze_time("2026-01-10"):
            contract._terminate(date(2026, 1, 20), "Moving")
        self.assertEqual(period.state, "credited")
        with self.assertRaises(UserError):
            period.sudo().write({"price_subtotal": 0.0})
        period.credit_move_line_ids.move_id.button_cancel()
        self.assertEqual(period.state, "invoiced")
        period.move_id.button_cancel()
        self.assertEqual(period.state, "cancelled")

    def test_a_draft_invoice_deleted_releases_its_rows(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        invoice = self._bill("2026-01-01")
        self.assertEqual(contract.period_ids.state, "invoiced")
        invoice.unlink()
        self.assertFalse(contract.period_ids)
        self.assertEqual(contract.next_invoice_date, date(2026, 1, 1))

    def test_rows_of_an_earlier_version_are_filled_at_update(self):
        contract = self._contract("2026-01-15", self.monthly_calendar)
        line = self._bill("2026-01-15").invoice_line_ids
        period = contract.period_ids
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE recurring_period DISABLE TRIGGER recurring_period_locked"
        )
        cr.execute(
            "UPDATE recurring_period SET price_subtotal = NULL, "
            "price_unit_billed = NULL, proration_numerator = NULL, "
            "proration_denominator = NULL WHERE id = %s",
            [period.id],
        )
        self.env["recurring.period"].sudo().init()
        period.invalidate_recordset()
        self.assertEqual(period.price_subtotal, line.price_subtotal)
        self.assertEqual(period.price_unit_billed, line.price_unit)
        self.assertAlmostEqual(float(period._factor()), 17 / 31)
        # the trigger is back
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(errors.IntegrityConstraintViolation),
            cr.savepoint(),
        ):
            cr.execute(
                "UPDATE recurring_period SET price_unit = 1 WHERE id = %s", [period.id]
            )
