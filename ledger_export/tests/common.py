# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# French chart (PCG) prefixes for the accounts of the generic chart, so that
# the company's FEC looks like a French one without depending on l10n_fr.
PCG_PREFIXES = {
    "asset_receivable": "411",
    "asset_cash": "512",
    "asset_current": "467",
    "asset_non_current": "275",
    "asset_prepayments": "409",
    "asset_fixed": "218",
    "liability_payable": "401",
    "liability_credit_card": "519",
    "liability_current": "421",
    "liability_non_current": "164",
    "equity": "101",
    "equity_unaffected": "120",
    "income": "706",
    "income_other": "758",
    "expense": "607",
    "expense_depreciation": "681",
    "expense_direct_cost": "603",
}
SIREN = "732829320"


class LedgerExportCommon(AccountTestInvoicingCommon):
    """A French company's 2025 fiscal year, with a 2024 carried forward.

    2024: an invoice to partner_a (1,000.00, unpaid at year end) and a bill
    from partner_b (400.00): the 2025 opening entry carries the receivable,
    the payable and the 600.00 result.
    2025: invoice 1 to partner_a (1,150.00) paid in full by the bank
    (lettering), the 2024 invoice paid in full, invoice 2 to partner_b
    (300.00, label with separators and line breaks, unpaid), a draft invoice.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write(
            {
                "company_registry": SIREN,
                "vat": False,
                "fiscalyear_last_day": 31,
                "fiscalyear_last_month": "12",
            }
        )
        cls._use_pcg_codes(company)
        cls.exporter = new_test_user(
            cls.env,
            login="ledger_exporter",
            groups="ledger_export.group_ledger_export_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.export_manager = new_test_user(
            cls.env,
            login="ledger_export_manager",
            groups="ledger_export.group_ledger_export_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.partner_a.write({"name": "Société Œuvre € Ltd", "ref": "CLI-A"})
        cls.partner_b.write({"name": "Fournisseur Bêta", "ref": False})
        cls.bank_journal = cls.company_data["default_journal_bank"]
        with freeze_time("2024-11-10"):
            cls.invoice_2024 = cls._create_invoice_one_line(
                price_unit=1000.0,
                partner_id=cls.partner_a,
                invoice_date="2024-11-10",
                tax_ids=[],
                post=True,
            )
            cls.bill_2024 = cls._create_invoice_one_line(
                move_type="in_invoice",
                price_unit=400.0,
                partner_id=cls.partner_b,
                invoice_date="2024-12-01",
                tax_ids=[],
                post=True,
            )
        with freeze_time("2025-01-15"):
            cls.invoice_1 = cls._create_invoice_one_line(
                price_unit=1150.0,
                name="Subscription January",
                partner_id=cls.partner_a,
                invoice_date="2025-01-15",
                tax_ids=[],
                post=True,
            )
        with freeze_time("2025-02-10"):
            cls.payment_1 = cls.pay_with_statement_line(
                cls.invoice_1, cls.bank_journal.id, "2025-02-10", 1150.0
            )
            cls.payment_2024 = cls.pay_with_statement_line(
                cls.invoice_2024, cls.bank_journal.id, "2025-02-10", 1000.0
            )
        with freeze_time("2025-03-01"):
            cls.invoice_2 = cls._create_invoice_one_line(
                price_unit=300.0,
                name="Set-up | on site\r\nand training",
                partner_id=cls.partner_b,
                invoice_date="2025-03-01",
                tax_ids=[],
                post=True,
            )
            cls.draft_invoice = cls._create_invoice_one_line(
                price_unit=50.0,
                partner_id=cls.partner_b,
                invoice_date="2025-03-01",
                tax_ids=[],
            )

    @classmethod
    def _use_pcg_codes(cls, company):
        Account = cls.env["account.account"].with_company(company)
        accounts = Account.search(Account._check_company_domain(company), order="id")
        counters = {}
        for account in accounts:
            prefix = PCG_PREFIXES.get(account.account_type)
            if not prefix:
                continue
            counters[prefix] = counters.get(prefix, 0) + 1
            account.code = f"{prefix}{counters[prefix]:03d}"

    def _export(self, user=None, **values):
        """Run the wizard as ``user`` (the exporter) and return the export."""
        values.setdefault("period_mode", "fiscal_year")
        values.setdefault("fiscal_year", 2025)
        user = user or self.exporter
        with freeze_time("2026-02-15"):
            wizard = self.env["ledger.export.wizard"].with_user(user).create(values)
            action = wizard.action_export()
        # read back with every right: the tests look at what users cannot see
        export = self.env["ledger.export"].sudo().search([], order="id desc", limit=1)
        return export, action

    @staticmethod
    def _content(export):
        return base64.b64decode(export.attachment_id.datas)

    def _records(self, export, encoding="iso8859-15", separator="|"):
        text = self._content(export).decode(encoding)
        lines = text.split("\r\n")
        self.assertEqual(lines[-1], "", "the file ends with CR LF")
        return [line.split(separator) for line in lines[:-1]]
