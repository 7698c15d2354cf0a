# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from odoo.addons.account_facturx_fr.tools import (
    facturx_identifiers,
    facturx_validate,
)


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database as ``docker compose up`` makes it.

    Layer 2 runs without demo data: the class loads this module's demo files
    itself, in the test transaction, exactly as Odoo loads them at install
    with demo data (French activated first, as ``--load-language=fr_FR``
    does). A database installed with demo data is checked as it is.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "billing_demo_fr")])
        if not module.demo:
            cls.env["res.lang"]._activate_lang("fr_FR")
            cls._load_demo()
        cls.company = cls.env.ref("base.main_company")
        cls.reference = cls.env["billing.demo"]._reference_date()
        cls.demo_contracts = cls.env["recurring.contract"].browse(
            cls.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "billing_demo_fr"),
                    ("model", "=", "recurring.contract"),
                ]
            )
            .mapped("res_id")
        )

    @classmethod
    def _load_demo(cls):
        env = cls.env(context=dict(cls.env.context, install_demo=True))
        idref = {}
        for path in get_manifest("billing_demo_fr")["demo"]:
            convert_file(env, "billing_demo_fr", path, idref, "init", noupdate=True)

    def _ref(self, name):
        return self.env.ref(f"billing_demo_fr.{name}")

    # ------------------------------------------------------------------
    # The company
    # ------------------------------------------------------------------

    def test_french_company_in_euros_with_the_french_chart(self):
        company = self.company
        self.assertEqual(company.country_id.code, "FR")
        self.assertEqual(company.currency_id.name, "EUR")
        self.assertEqual(company.chart_template, "fr")
        self.assertEqual(company.account_fiscal_country_id.code, "FR")
        self.assertTrue(company.facturx_enabled)
        siren, siret = facturx_identifiers.split_registry(company.company_registry)
        self.assertEqual((len(siren), len(siret)), (9, 14))
        self.assertEqual(company.vat[:2], "FR")
        self.assertTrue(company.vat.endswith(siren), "the VAT number holds the SIREN")
        self.assertTrue(all([company.street, company.zip, company.city]))
        iban = company.partner_id.bank_ids.filtered(
            lambda b: b.acc_type == "iban" and b.acc_number.startswith("FR")
        )
        self.assertTrue(iban, "the company has a French IBAN")
        sales = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")]
        )
        self.assertTrue(sales)
        self.assertTrue(
            self.env["account.account"].search_count(
                [("company_ids", "in", company.id), ("code", "=like", "411%")]
            ),
            "French receivable accounts (411)",
        )
        terms = company._get_late_payment_terms(self.reference)
        self.assertEqual(terms["indemnity"], 40)
        self.assertGreater(terms["penalty_rate"], 0)
        self.assertEqual(self.env.ref("base.user_admin").lang, "fr_FR")
        self.assertEqual(
            self.env["product.pricelist"]
            .search([("company_id", "in", (company.id, False))])
            .currency_id.mapped("name"),
            ["EUR"],
        )

    def test_customers_of_each_kind(self):
        partners = self.demo_contracts.partner_id
        french_companies = partners.filtered(
            lambda p: p.is_company and p.country_id.code == "FR"
        )
        self.assertGreaterEqual(len(french_companies), 2)
        for partner in french_companies:
            siren, _siret = facturx_identifiers.split_registry(partner.company_registry)
            self.assertEqual(len(siren), 9, partner.name)
        europe = self.env.ref("base.europe").country_ids
        eu_companies = partners.filtered(
            lambda p: p.is_company
            and p.country_id in europe
            and p.country_id.code != "FR"
            and p.vat
        )
        self.assertTrue(eu_companies, "an EU company with its VAT number")
        self.assertTrue(
            partners.filtered(lambda p: not p.is_company), "a private person"
        )

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------

    def test_contracts_of_each_kind(self):
        contracts = self.demo_contracts
        rules = contracts.rule_id
        self.assertEqual(set(rules.mapped("unit")), {"month", "quarter", "year"})
        self.assertEqual(set(rules.mapped("invoicing_mode")), {"prepaid", "postpaid"})
        self.assertEqual(set(rules.mapped("billing_mode")), {"calendar", "anniversary"})
        self.assertEqual(
            set(contracts.mapped("state")), {"active", "paused", "terminated"}
        )
        self.assertTrue(contracts.filtered(lambda c: c.auto_renew and c.date_end))
        paused = contracts.filtered(lambda c: c.state == "paused")
        self.assertTrue(paused.pause_ids)
        terminated = contracts.filtered(lambda c: c.state == "terminated")
        self.assertLess(terminated.termination_date, self.reference)
        self.assertFalse(
            terminated.period_ids.filtered(
                lambda p: p.period_start > terminated.termination_date
            ),
            "nothing billed after the last day of service",
        )
        prorated = contracts.period_ids.filtered(
            lambda p: p.proration_factor < 1 and p.period_start < p.billed_start
        )
        self.assertTrue(prorated, "a prorated first period (start mid-period)")
        for contract in contracts:
            self.assertEqual(contract.currency_id.name, "EUR")

    # ------------------------------------------------------------------
    # Bill runs and invoices
    # ------------------------------------------------------------------

    def test_done_bill_run_with_consolidated_posted_invoices(self):
        policy = self.company.consolidation_policy_id
        self.assertTrue(policy and policy.auto_post)
        runs = self.env["bill.run"].search(
            [("company_id", "=", self.company.id)], order="date"
        )
        self.assertEqual(set(runs.mapped("state")), {"done"})
        last = runs[-1]
        self.assertEqual(last.date, self.reference)
        self.assertEqual(runs[0].date, self.reference - relativedelta(months=3))
        invoices = last.customer_ids.invoice_ids
        self.assertTrue(invoices)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(set(invoices.mapped("invoice_date")), {self.reference})
        self.assertEqual(invoices.currency_id.name, "EUR")
        # one invoice for the two contracts of a customer (consolidation)
        periods = self.env["recurring.period"].search(
            [("move_id", "in", runs.customer_ids.invoice_ids.ids)]
        )
        self.assertTrue(
            any(len(p.contract_id) > 1 for p in periods.grouped("move_id").values()),
            "an invoice consolidates several contracts",
        )

    def test_posted_invoices_are_valid_factur_x(self):
        last = self.env["bill.run"].search(
            [("company_id", "=", self.company.id)], order="date desc", limit=1
        )
        invoices = last.customer_ids.invoice_ids
        self.assertTrue(invoices)
        reports = facturx_validate.validate_many(
            [move._facturx_xml() for move in invoices]
        )
        for move, report in zip(invoices, reports, strict=True):
            self.assertEqual([f.message for f in report.errors], [], move.name)
            self.assertEqual(report.steps, ("xsd", "en16931", "br-fr"))

    def test_invoice_with_recurring_one_off_and_usage_lines(self):
        """L'Atelier's invoice of the last bill run: its fees of the month
        (in advance), the setup ordered last month and last month's API calls
        (in arrears), with a valid Factur-X that states the same amounts."""
        last = self.env["bill.run"].search(
            [("company_id", "=", self.company.id)], order="date desc", limit=1
        )
        move = last.customer_ids.invoice_ids.filtered(
            lambda m: m.partner_id == self._ref("partner_atelier")
        )
        self.assertEqual(len(move), 1)
        lines = move.invoice_line_ids
        recurring = lines.filtered("recurring_period_ids")
        one_off = lines.filtered("sale_line_ids")
        usage = lines.filtered("usage_rating_ids")
        self.assertTrue(recurring.filtered(lambda line: not line.usage_rating_ids))
        self.assertEqual(one_off.product_id, self._ref("product_setup"))
        self.assertEqual(len(usage), 1)
        rated = usage.usage_rating_ids
        month = self.reference - relativedelta(months=1)
        self.assertEqual(rated.period_start, month)
        self.assertEqual(usage.service_start_date, month)
        self.assertEqual(usage.service_end_date, self.reference - relativedelta(days=1))
        self.assertEqual(rated.event_count, 10)
        self.assertEqual(len(rated.event_ids), 10)
        self.assertGreater(rated.amount, 0)
        self.assertEqual(usage.price_subtotal, rated.amount)
        self.assertIn("500", usage.name)  # the included calls, stated
        (report,) = facturx_validate.validate_many([move._facturx_xml()])
        self.assertEqual([f.message for f in report.errors], [], move.name)
        xml = move._facturx_xml().decode()
        # the usage period as the line's billing period (BT-134/135)
        self.assertIn(month.strftime("%Y%m%d"), xml)
        self.assertIn(f"{move.amount_total:.2f}", xml)

    def test_prepaid_usage_invoices_are_valid_factur_x(self):
        """A prepaid usage line: the prepaid amount on the first invoice, then
        the usage and the negative line drawing it from the prepaid amount
        (a negative quantity at a positive price, EN 16931 BR-27): both
        invoices pass the Factur-X pipeline with Odoo's amounts."""
        partner = self._ref("partner_moreau")
        start = self.reference - relativedelta(months=1)
        contract = self.env["recurring.contract"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "rule_id": self._ref("rule_monthly_prepaid").id,
                "date_start": start,
                "line_ids": [
                    fields.Command.create(
                        {
                            "product_id": self._ref("product_api_usage").id,
                            "price_unit": 0.0,
                            "usage_metric_id": self._ref("usage_metric_api_calls").id,
                            "usage_price_model": "per_unit",
                            "usage_price": 0.02,
                            "usage_minimum": 30.0,
                            "usage_prepaid": True,
                        }
                    )
                ],
            }
        )
        contract.action_activate()

        def bill(day):
            run = self.env["bill.run"].create(
                {
                    "date": day,
                    "company_id": self.company.id,
                    "partner_ids": [fields.Command.set(partner.ids)],
                }
            )
            run.action_run()  # one customer: billed at once, not committed
            return run.customer_ids.invoice_ids

        first = bill(start)
        report = self.env["usage.ingestion"]._ingest(
            io.BytesIO(
                f"contract,metric,timestamp,quantity,transaction_id\n"
                f"{contract.name},api_calls,{start}T10:00:00,1000,prepaid-1\n".encode()
            ),
            "csv",
            "test",
        )
        self.assertTrue(report["stored"], report)
        second = bill(self.reference)
        self.assertEqual(first.amount_untaxed, 30.0)
        kinds = {
            line.usage_rating_ids.kind: (line.quantity, line.price_unit)
            for line in second.invoice_line_ids
        }
        self.assertEqual(kinds["usage"], (1000.0, 0.02))
        self.assertEqual(kinds["drawdown"], (-1.0, 20.0))
        self.assertEqual(second.amount_untaxed, 30.0)  # next month's prepaid
        moves = first | second
        reports = facturx_validate.validate_many([m._facturx_xml() for m in moves])
        for move, result in zip(moves, reports, strict=True):
            self.assertEqual([f.message for f in result.errors], [], move.name)

    # ------------------------------------------------------------------
    # Dunning
    # ------------------------------------------------------------------

    def test_customers_at_several_dunning_levels(self):
        policy = self.company.dunning_policy_id
        self.assertEqual(len(policy.level_ids), 3)
        runs = self.env["dunning.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(set(runs.mapped("state")), {"done"})
        last = runs.sorted("date")[-1]
        sent = last.customer_ids.filtered(lambda c: c.state == "sent")
        self.assertEqual(
            sorted(sent.level_id.mapped("sequence")),
            [1, 2, 3],
            "one customer at each level",
        )
        states = self.env["dunning.customer"].search(
            [("company_id", "=", self.company.id), ("level_id", "!=", False)]
        )
        self.assertEqual(set(states.level_id.mapped("sequence")), {1, 2, 3})
        overdue = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "=", "not_paid"),
                ("invoice_date_due", "<", self.reference),
            ]
        )
        self.assertGreaterEqual(len(overdue.commercial_partner_id), 3)
        paid = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("paid", "in_payment")),
            ]
        )
        self.assertTrue(paid, "good payers paid on the due date")

    def test_loading_again_changes_nothing(self):
        """An update of the module runs the demo functions again."""
        counts = {
            model: self.env[model].search_count([])
            for model in ("account.move", "bill.run", "dunning.run", "dunning.rate")
        }
        demo = self.env["billing.demo"]
        demo._setup_company()
        demo._run_history()
        self.assertEqual(
            {model: self.env[model].search_count([]) for model in counts}, counts
        )
