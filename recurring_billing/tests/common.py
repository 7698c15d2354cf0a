# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.account_invoice_fr.tests.common import NoCommitMixin


class RecurringBillingCommon(NoCommitMixin, AccountTestInvoicingCommon):
    """Rules, a subscription product and a billing user (tests run as them)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.billing_user = new_test_user(
            cls.env,
            login="billing_user",
            groups="recurring_billing.group_billing_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        Rule = cls.env["recurring.rule"].sudo()
        cls.monthly = Rule.create(
            {
                "name": "Monthly anniversary",
                "unit": "month",
                "billing_mode": "anniversary",
            }
        )
        cls.monthly_calendar = Rule.create(
            {"name": "Monthly on the 1st", "unit": "month", "billing_mode": "calendar"}
        )
        cls.monthly_postpaid = Rule.create(
            {
                "name": "Monthly postpaid",
                "unit": "month",
                "billing_mode": "calendar",
                "invoicing_mode": "postpaid",
            }
        )
        cls.yearly = Rule.create(
            {
                "name": "Yearly anniversary",
                "unit": "year",
                "billing_mode": "anniversary",
            }
        )
        cls.hosting = cls._create_product(
            name="Hosting",
            type="service",
            lst_price=100.0,
            recurring_ok=True,
            recurring_rule_id=cls.monthly_calendar.id,
            taxes_id=[Command.set(cls.tax_sale_a.ids)],
        )
        cls.support = cls._create_product(
            name="Support",
            type="service",
            lst_price=30.0,
            recurring_ok=True,
            taxes_id=[Command.set(cls.tax_sale_a.ids)],
        )
        cls._setup_contract_by_contract_invoicing()
        cls._setup_billing_data()
        cls.env = cls.env(user=cls.billing_user)

    @classmethod
    def _setup_contract_by_contract_invoicing(cls):
        """These tests invoice contract by contract: with consolidated_invoice
        installed, every company has a consolidation policy by default."""
        Company = cls.env["res.company"].sudo()
        if "consolidation_policy_id" in Company._fields:
            Company.search([("consolidation_policy_id", "!=", False)]).write(
                {"consolidation_policy_id": False}
            )

    @classmethod
    def _setup_billing_data(cls):
        """Hook for test classes to create data before tests run as billing user."""

    @classmethod
    def _contract(cls, start, rule, lines=None, activate=True, **values):
        """A contract of partner_a starting on ``start`` (a 'YYYY-MM-DD')."""
        lines = lines or [{"product_id": cls.hosting.id}]
        contract = cls.env["recurring.contract"].create(
            {
                "partner_id": cls.partner_a.id,
                "date_start": start,
                "rule_id": rule.id,
                "line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )
        if activate:
            contract.action_activate()
        return contract

    def _bill(self, date, contracts=None):
        """Run the invoicing as the daily cron would on ``date``."""
        with freeze_time(date):
            Invoicing = self.env["recurring.invoicing"]
            if contracts is None:
                contracts = self.env["recurring.contract"].search(
                    Invoicing._get_contracts_to_invoice_domain(date)
                )
            return Invoicing._invoice_contracts(contracts, date)

    def _periods(self, contract):
        periods = contract.period_ids.filtered(lambda p: p.state != "cancelled")
        return [
            (str(p.billed_start), str(p.billed_end))
            for p in periods.sorted("period_start")
        ]
