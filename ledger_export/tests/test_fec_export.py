# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hashlib
import io

from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tests import tagged

from odoo.addons.ledger_export.tools import fec, fec_check

from .common import SIREN, LedgerExportCommon

ZERO = "0,00".rjust(18, "0")


def amount(text):
    return text.rjust(18, "0")


@tagged("post_install", "-at_install")
class TestFecExport(LedgerExportCommon):
    def test_official_fec_passes_its_checks(self):
        export, action = self._export()
        self.assertEqual(action["res_model"], "ledger.export")
        self.assertEqual(action["res_id"], export.id)
        self.assertEqual(export.state, "done")
        self.assertEqual(export.file_name, f"{SIREN}FEC20251231.txt")
        self.assertEqual(export.attachment_id.name, export.file_name)
        self.assertEqual(export.check_error_count, 0, export.check_report)
        self.assertIn(export.check_state, ("passed", "warning"))
        # the stored checks are those of the file itself
        content = self._content(export)
        report = fec_check.check_fec(
            content,
            filename=export.file_name,
            fiscal_year=(export.date_from, export.date_to),
        )
        self.assertTrue(report.ok, [str(f) for f in report.errors])
        self.assertEqual(export.entry_count, report.entries)
        self.assertEqual(export.file_size, len(content))
        self.assertEqual(export.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(export.total_debit, export.total_credit)
        # the written description of the file
        description = base64.b64decode(export.description_attachment_id.datas)
        text = description.decode("utf-8")
        self.assertEqual(
            export.description_attachment_id.name,
            f"{SIREN}FEC20251231-description.txt",
        )
        self.assertIn(SIREN, text)
        self.assertIn(export.sha256, text)
        self.assertIn("18. Idevise:", text)
        self.assertIn(f"{self.invoice_1.journal_id.code} ", export.journal_summary)
        self.assertIn(export.journal_summary.replace("\n", "\r\n"), text)
        action = export.with_user(self.exporter).action_download_description()
        self.assertIn(str(export.description_attachment_id.id), action["url"])

    def test_fec_matches_the_spec_column_by_column(self):
        export, _action = self._export()
        records = self._records(export)
        self.assertEqual(records[0], list(fec.FEC_COLUMNS))
        self.assertTrue(all(len(record) == 18 for record in records))
        body = records[1:]
        # opening entry first: receivable per partner, payable, the 2024 result
        opening = [r for r in body if r[0] == "OUV"]
        self.assertEqual(body[: len(opening)], opening)
        receivable = self.company_data["default_account_receivable"]
        payable = self.partner_b.property_account_payable_id
        result = self.env["account.account"].search(
            Domain(self.env["account.account"]._check_company_domain(self.env.company))
            & Domain("account_type", "=", "equity_unaffected"),
            order="code",
            limit=1,
        )
        by_account = {r[4]: r for r in opening}
        self.assertEqual(
            by_account[receivable.code],
            [
                "OUV",
                "Balance initiale",
                "OUVERTURE/2025",
                "20250101",
                receivable.code,
                receivable.name,
                "CLI-A",
                "Société Œuvre € Ltd",
                "-",
                "20250101",
                "/",
                amount("1000,00"),
                ZERO,
                "",
                "",
                "20250101",
                "",
                "",
            ],
        )
        self.assertEqual(by_account[payable.code][6], str(self.partner_b.id))
        self.assertEqual(by_account[payable.code][12], amount("400,00"))
        self.assertEqual(by_account[result.code][12], amount("600,00"))
        self.assertEqual(by_account[result.code][6], "")
        # the receivable line of invoice 1, lettered with its payment
        line = self.invoice_1.line_ids.filtered(
            lambda item: item.account_id == receivable
        )
        matching = line.full_reconcile_id
        self.assertTrue(matching)
        entry = [r for r in body if r[2] == self.invoice_1.name]
        self.assertEqual(len(entry), 2)
        row = next(r for r in entry if r[4] == receivable.code)
        self.assertEqual(
            row,
            [
                self.invoice_1.journal_id.code,
                self.invoice_1.journal_id.name,
                self.invoice_1.name,
                "20250115",
                receivable.code,
                receivable.name,
                "CLI-A",
                "Société Œuvre € Ltd",
                "-",
                "20250115",
                line.name or "/",
                amount("1150,00"),
                ZERO,
                str(matching.id),
                matching.create_date.strftime("%Y%m%d"),
                "20250115",
                "",
                "",
            ],
        )
        # the payment's bank line carries the same lettering code
        payment_rows = [r for r in body if r[13] == str(matching.id)]
        self.assertEqual(len(payment_rows), 2)
        # revenue line: no sub-ledger account, label kept
        revenue = next(r for r in entry if r[4] != receivable.code)
        self.assertEqual(revenue[6:8], ["", ""])
        self.assertEqual(revenue[10], "Subscription January")
        self.assertEqual(revenue[13:15], ["", ""])
        self.assertEqual(revenue[12], amount("1150,00"))
        # separators and line breaks are cleaned out of labels
        labels = {r[10] for r in body if r[2] == self.invoice_2.name}
        self.assertIn("Set-up on site and training", labels)
        # the draft invoice is left out of the official file
        self.assertNotIn(self.draft_invoice.id, [r[2] for r in body])
        self.assertFalse([r for r in body if r[2].startswith("DRAFT/")])
        # chronological order after the opening entry
        dates = [r[15] for r in body[len(opening) :]]
        self.assertEqual(dates, sorted(dates))

    def test_result_goes_to_a_pcg_account(self):
        """Odoo codes the current year earnings account 999999, outside the
        PCG: the result carried forward goes to 120 (a profit) instead."""
        Account = self.env["account.account"]
        unaffected = Account.search(
            Domain(Account._check_company_domain(self.env.company))
            & Domain("account_type", "=", "equity_unaffected")
        )
        for index, account in enumerate(unaffected):
            account.code = f"99999{index}"
        Account.create(
            {"code": "129000", "name": "Résultat (perte)", "account_type": "equity"}
        )
        Account.create(
            {"code": "120000", "name": "Résultat (bénéfice)", "account_type": "equity"}
        )
        export, _action = self._export()
        opening = [r for r in self._records(export)[1:] if r[0] == "OUV"]
        row = next(r for r in opening if r[4] == "120000")
        self.assertEqual(
            (row[5], row[11], row[12]), ("Résultat (bénéfice)", ZERO, amount("600,00"))
        )
        self.assertFalse([r for r in opening if r[4].startswith("9")])
        self.assertEqual(export.check_error_count, 0, export.check_report)

    def test_non_official_fec_includes_drafts(self):
        export, _action = self._export(official=False)
        self.assertEqual(export.file_name, f"{SIREN}FEC20251231-NONOFFICIAL.txt")
        body = self._records(export)[1:]
        draft_rows = [r for r in body if r[2] == f"DRAFT/{self.draft_invoice.id}"]
        self.assertEqual(
            len(draft_rows), len(self.draft_invoice.line_ids.filtered("balance"))
        )
        self.assertEqual(export.check_error_count, 0, export.check_report)

    def test_utf8_and_tab(self):
        iso, _action = self._export()
        utf8, _action = self._export(encoding="utf-8", separator="tab")
        records = self._records(utf8, encoding="utf-8", separator="\t")
        self.assertEqual(records[0], list(fec.FEC_COLUMNS))
        self.assertTrue(all(len(record) == 18 for record in records))
        self.assertEqual(utf8.check_error_count, 0, utf8.check_report)
        # same content, other encoding and separator
        self.assertEqual(
            [r for r in self._records(iso)],
            records,
        )
        self.assertIn("Société Œuvre € Ltd".encode(), self._content(utf8))
        self.assertIn("Société Œuvre € Ltd".encode("iso8859-15"), self._content(iso))

    def test_ascii_transliterates(self):
        export, _action = self._export(encoding="ascii")
        self.assertTrue(self._content(export).isascii())
        self.assertIn(b"Societe OEuvre EUR Ltd", self._content(export))
        self.assertGreater(export.transliterated_count, 0)

    def test_excluded_journal_and_date_range(self):
        export, _action = self._export(
            period_mode="range",
            date_from="2025-01-01",
            date_to="2025-02-28",
            excluded_journal_ids=self.bank_journal.ids,
        )
        self.assertEqual(export.file_name, f"{SIREN}FEC20250228.txt")
        body = self._records(export)[1:]
        journals = {r[0] for r in body}
        self.assertNotIn(self.bank_journal.code, journals)
        self.assertNotIn(self.invoice_2.name, {r[2] for r in body})
        self.assertIn(self.invoice_1.name, {r[2] for r in body})

    def test_numbering_gap_is_listed(self):
        self.invoice_2.button_draft()
        self.invoice_2.button_cancel()
        invoice_3 = self._create_invoice_one_line(
            price_unit=10.0,
            partner_id=self.partner_b,
            invoice_date="2025-04-01",
            tax_ids=[],
            post=True,
        )
        self.assertNotEqual(invoice_3.name, self.invoice_2.name)
        export, _action = self._export()
        self.assertEqual(export.check_error_count, 0, export.check_report)
        self.assertEqual(export.check_state, "warning")
        self.assertIn(self.invoice_2.name, export.sequence_gaps)

    def test_siren_is_required(self):
        self.env.company.write({"company_registry": False, "vat": False})
        with self.assertRaisesRegex(UserError, "SIREN"):
            self._export()

    def test_siren_from_a_siret(self):
        self.env.company.company_registry = f"{SIREN}00013"
        export, _action = self._export()
        self.assertEqual(export.file_name, f"{SIREN}FEC20251231.txt")

    def test_postgresql_formatting_matches_the_fec_writer(self):
        """The period's lines are formatted by PostgreSQL; the reference is
        tools/fec.py's writer fed with the canonical extract."""
        self.invoice_2.ref = "  PO\t42 |  x\u00a0 "
        self.partner_b.name = "Fournisseur | Bêta\n"
        for values in (
            {},
            {"encoding": "utf-8", "separator": "tab", "official": False},
            {"encoding": "ascii"},
        ):
            export, _action = self._export(**values)
            extract = self.env["ledger.export.extract"].with_company(export.company_id)
            out = io.BytesIO()
            fec.write_fec(
                out,
                extract._iter_lines(export),
                opening=extract._opening_lines(export),
                options=fec.FecOptions(
                    encoding=export.encoding, separator=export.separator
                ),
            )
            self.assertEqual(self._content(export), out.getvalue(), values)
        self.assertIn(b"|PO 42 x|", self._content(export))

    def test_lock_the_period_on_request(self):
        self.assertFalse(self.env.company.fiscalyear_lock_date)
        # an exporter who is not an accounting administrator cannot lock
        with self.assertRaisesRegex(UserError, "administrator"):
            self._export(lock_period=True)
        self.draft_invoice.unlink()
        manager = self.env.user
        self.assertTrue(manager.has_group("account.group_account_manager"))
        manager.group_ids += self.env.ref("ledger_export.group_ledger_export_user")
        export, _action = self._export(user=manager, lock_period=True)
        self.assertEqual(export.check_error_count, 0, export.check_report)
        self.assertEqual(str(self.env.company.fiscalyear_lock_date), "2025-12-31")
        # without the option nothing is locked
        self.env.company.fiscalyear_lock_date = False
        self._export(user=manager)
        self.assertFalse(self.env.company.fiscalyear_lock_date)

    def test_foreign_currency_amounts(self):
        company = self.env.company
        code = "GBP" if company.currency_id.name == "EUR" else "EUR"
        currency = self.setup_other_currency(code, rates=[("2025-01-01", 2.0)])
        invoice = self._create_invoice_one_line(
            price_unit=200.0,
            currency_id=currency,
            partner_id=self.partner_a,
            invoice_date="2025-05-05",
            tax_ids=[],
            post=True,
        )
        export, _action = self._export()
        self.assertEqual(export.check_error_count, 0, export.check_report)
        rows = [r for r in self._records(export)[1:] if r[2] == invoice.name]
        receivable = self.company_data["default_account_receivable"]
        by_side = {r[4] == receivable.code: r for r in rows}
        self.assertEqual(
            by_side[True][11:18],
            [amount("100,00"), ZERO, "", "", "20250505", amount("200,00"), code],
        )
        self.assertEqual(
            by_side[False][11:18],
            [
                ZERO,
                amount("100,00"),
                "",
                "",
                "20250505",
                "-" + "200,00".rjust(17, "0"),
                code,
            ],
        )
        # lines in the company currency leave both columns blank
        self.assertEqual(
            {
                tuple(r[16:18])
                for r in self._records(export)[1:]
                if r[2] == self.invoice_1.name
            },
            {("", "")},
        )

    def test_other_companies_are_left_out(self):
        other = self.setup_other_company(name="Autre Société SAS")
        foreign = self._create_invoice_one_line(
            price_unit=999.0,
            company_id=other["company"],
            journal_id=other["default_journal_sale"],
            partner_id=self.partner_a,
            invoice_date="2025-06-01",
            tax_ids=[],
            post=True,
        )
        export, _action = self._export()
        body = self._records(export)[1:]
        # both companies number their invoices alike: only ours is there
        self.assertEqual(foreign.name, self.invoice_1.name)
        self.assertEqual(len([r for r in body if r[2] == foreign.name]), 2)
        self.assertNotIn(
            amount("999,00"), {r[11] for r in body} | {r[12] for r in body}
        )
        self.assertEqual(export.company_id, self.env.company)

    def test_download(self):
        export, _action = self._export()
        action = export.with_user(self.exporter).action_download()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/{export.attachment_id.id}", action["url"])
