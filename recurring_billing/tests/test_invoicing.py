# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestInvoicing(RecurringBillingCommon):
    def test_month_end_anchor_over_fourteen_months(self):
        contract = self._contract("2026-01-31", self.monthly)
        boundaries = [
            "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
            "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
            "2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28",
        ]  # fmt: skip
        for boundary in boundaries:
            moves = self._bill(boundary)
            self.assertEqual(len(moves), 1, boundary)
            self.assertEqual(str(moves.invoice_date), boundary)
            self.assertEqual(str(moves.invoice_line_ids.service_start_date), boundary)
        periods = self._periods(contract)
        self.assertEqual(len(periods), 14)
        self.assertEqual(periods[0], ("2026-01-31", "2026-02-27"))
        self.assertEqual(periods[1], ("2026-02-28", "2026-03-30"))
        self.assertEqual(periods[-1], ("2027-02-28", "2027-03-30"))
        # full periods are never prorated, whatever their length
        self.assertEqual(
            set(contract.invoice_ids.invoice_line_ids.mapped("price_unit")), {100.0}
        )
        self.assertEqual(str(contract.next_invoice_date), "2027-03-31")
        self.assertEqual(str(contract.invoiced_until), "2027-03-30")

    def test_leap_day_yearly_over_five_years(self):
        contract = self._contract("2024-02-29", self.yearly)
        for day in (
            "2024-02-29",
            "2025-02-28",
            "2026-02-28",
            "2027-02-28",
            "2028-02-29",
        ):
            self.assertEqual(len(self._bill(day)), 1, day)
        self.assertEqual(
            self._periods(contract),
            [
                ("2024-02-29", "2025-02-27"),
                ("2025-02-28", "2026-02-27"),
                ("2026-02-28", "2027-02-27"),
                ("2027-02-28", "2028-02-28"),
                ("2028-02-29", "2029-02-27"),
            ],
        )

    def test_backlog_billed_in_one_run(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        moves = self._bill("2026-04-10")
        self.assertEqual(len(moves), 1)
        self.assertEqual(str(moves.invoice_date), "2026-04-10")
        lines = moves.invoice_line_ids.sorted("service_start_date")
        self.assertEqual(
            [(str(ln.service_start_date), str(ln.service_end_date)) for ln in lines],
            [
                ("2026-01-01", "2026-01-31"),
                ("2026-02-01", "2026-02-28"),
                ("2026-03-01", "2026-03-31"),
                ("2026-04-01", "2026-04-30"),
            ],
        )
        self.assertEqual(contract.invoiced_until, date(2026, 4, 30))
        self.assertEqual(contract.next_invoice_date, date(2026, 5, 1))

    def test_running_twice_creates_nothing(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self.assertEqual(len(self._bill("2026-03-05")), 1)
        self.assertFalse(self._bill("2026-03-05"))
        # even when the contract is forced through the service again
        self.assertFalse(self._bill("2026-03-05", contracts=contract))
        self.assertEqual(len(contract.period_ids), 3)

    def test_ledger_refuses_a_second_row_for_a_period(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self._bill("2026-01-01")
        period = contract.period_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            period.sudo().copy({"move_line_id": False})

    def test_cancelled_invoice_frees_its_periods(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        first = self._bill("2026-02-10")
        self.assertEqual(len(first.invoice_line_ids), 2)
        first.button_cancel()
        self.assertEqual(set(contract.period_ids.mapped("state")), {"cancelled"})
        self.assertEqual(contract.next_invoice_date, date(2026, 1, 1))
        again = self._bill("2026-02-10")
        self.assertEqual(len(again.invoice_line_ids), 2)
        self.assertEqual(len(self._periods(contract)), 2)
        # the cancelled invoice cannot come back: its periods are billed again
        with self.assertRaisesRegex(Exception, "billed again"):
            first.button_draft()

    def test_deleted_invoice_frees_its_periods(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self._bill("2026-01-01").unlink()
        self.assertFalse(contract.period_ids)
        self.assertEqual(len(self._bill("2026-01-01")), 1)
        self.assertEqual(len(contract.period_ids), 1)

    def test_calendar_first_period_is_prorated(self):
        self.partner_a.lang = "en_US"
        contract = self._contract("2026-01-15", self.monthly_calendar)
        line = self._bill("2026-01-15").invoice_line_ids
        self.assertAlmostEqual(line.price_unit, 54.84)
        self.assertEqual(str(line.service_start_date), "2026-01-15")
        self.assertEqual(str(line.service_end_date), "2026-01-31")
        self.assertIn("17/31", line.name)
        self.assertIn("17/31", contract.period_ids.proration_note)
        self.assertAlmostEqual(contract.period_ids.proration_factor, 17 / 31)

    def test_thirty_360_proration(self):
        self._contract("2026-01-15", self.monthly_calendar, proration_method="30_360")
        line = self._bill("2026-01-15").invoice_line_ids
        self.assertAlmostEqual(line.price_unit, 53.33)

    def test_postpaid_is_billed_at_period_end(self):
        self._contract("2026-03-01", self.monthly_postpaid)
        self.assertFalse(self._bill("2026-03-30"))
        line = self._bill("2026-03-31").invoice_line_ids
        self.assertEqual(str(line.service_end_date), "2026-03-31")

    def test_one_failing_contract_does_not_stop_the_others(self):
        good = self._contract("2026-01-01", self.monthly_calendar)
        bad = self._contract("2026-01-01", self.monthly_calendar)
        bad.sudo().journal_id = self.company_data["default_journal_purchase"]
        with mute_logger("odoo.addons.recurring_billing.models.recurring_invoicing"):
            moves = self._bill("2026-01-01")
        self.assertEqual(moves.recurring_contract_ids, good)
        self.assertFalse(bad.period_ids)
        self.assertTrue(bad.invoicing_error)
        self.assertTrue(bad.activity_ids)
        self.assertFalse(good.invoicing_error)

    def test_end_date_prorates_last_period_and_stops(self):
        contract = self._contract(
            "2026-05-01", self.monthly_calendar, date_end="2026-06-15"
        )
        moves = self._bill("2026-07-01")
        lines = moves.invoice_line_ids.sorted("service_start_date")
        self.assertEqual(len(lines), 2)
        self.assertEqual(str(lines[1].service_end_date), "2026-06-15")
        self.assertAlmostEqual(lines[1].price_unit, 50.0)  # 15/30 days
        self.assertFalse(contract.next_invoice_date)
        self.assertFalse(self._bill("2026-09-01"))

    def test_invoice_links_back_to_contract(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        move = self._bill("2026-01-01")
        self.assertEqual(move.recurring_contract_ids, contract)
        self.assertEqual(move.invoice_origin, contract.name)
        self.assertEqual(contract.invoice_ids, move)
        self.assertEqual(move.partner_id, contract.partner_invoice_id)
        self.assertEqual(move.state, "draft")

    def _distribution_model(self, product):
        """An analytic distribution model sending ``product`` to a new
        analytic account (returned)."""
        plan = self.env["account.analytic.plan"].sudo().create({"name": "Services"})
        account = (
            self.env["account.analytic.account"]
            .sudo()
            .create({"name": product.name, "plan_id": plan.id})
        )
        self.env["account.analytic.distribution.model"].sudo().create(
            {
                "product_id": product.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        return account

    def test_analytic_distribution_models_still_apply(self):
        """Lines skip the model lookup only when the company has no analytic
        distribution model; once one exists, Odoo's lookup applies it."""
        lines = [{"product_id": self.hosting.id}, {"product_id": self.support.id}]
        self._contract("2026-01-01", self.monthly_calendar, lines=lines)
        january = self._bill("2026-01-01")
        self.assertFalse(any(january.invoice_line_ids.mapped("analytic_distribution")))
        account = self._distribution_model(self.hosting)
        february = self._bill("2026-02-01")
        distribution = {
            line.product_id: line.analytic_distribution
            for line in february.invoice_line_ids
        }
        self.assertEqual(distribution[self.hosting], {str(account.id): 100})
        self.assertFalse(distribution[self.support])

    def test_no_analytic_lookup_without_distribution_models(self):
        """Without a model, the line values say there is no distribution, so
        that Odoo does not search the models line by line; with one, they
        leave the lookup to Odoo."""
        contract = self._contract("2026-01-01", self.monthly_calendar)
        Invoicing = self.env["recurring.invoicing"]

        def analytic_values():
            invoices = Invoicing._prepare_invoices(contract, date(2026, 1, 1))
            Invoicing._preset_empty_analytic_distribution(invoices)
            return {
                command[2].get("analytic_distribution", "not given")
                for invoice in invoices
                for command in invoice["values"]["invoice_line_ids"]
                if command[2].get("display_type", "product") == "product"
            }

        self.assertEqual(analytic_values(), {False})
        self._distribution_model(self.support)
        self.assertEqual(analytic_values(), {"not given"})

    def test_auto_post_setting(self):
        self.env.company.sudo().recurring_auto_post = True
        self._contract("2026-01-01", self.monthly_calendar)
        self.assertEqual(self._bill("2026-01-01").state, "posted")

    def test_invoice_pdf_shows_the_service_period(self):
        self._contract("2026-01-15", self.monthly_calendar)
        move = self._bill("2026-01-15")
        html = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        self.assertIn("Service period", html)
        self.assertIn("01/15/2026", html)
        self.assertIn("01/31/2026", html)

    def test_mrr_analysis(self):
        self._contract(
            "2026-01-01",
            self.monthly_calendar,
            date_end="2026-03-31",
            lines=[{"product_id": self.hosting.id, "quantity": 2}],
        )
        self._contract("2026-02-01", self.yearly, date_end="2026-12-31")
        self.env.flush_all()
        Report = self.env["recurring.mrr.report"]
        groups = Report._read_group(
            [("month", ">=", "2026-01-01"), ("month", "<", "2026-05-01")],
            ["month:month"],
            ["mrr:sum"],
        )
        by_month = {str(month)[:7]: round(mrr, 2) for month, mrr in groups}
        self.assertEqual(
            by_month,
            {"2026-01": 200.0, "2026-02": 208.33, "2026-03": 208.33, "2026-04": 8.33},
        )

    def test_proration_note_in_the_customer_language(self):
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo()._load_module_terms(
            ["recurring_billing"], ["fr_FR"], overwrite=True
        )
        self.partner_a.sudo().lang = "fr_FR"
        self._contract("2026-01-15", self.monthly_calendar)
        line = self._bill("2026-01-15").invoice_line_ids
        self.assertIn("Prorata 17/31 jours (15/01/2026–31/01/2026)", line.name)
