# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.ledger_export.tools import formats

from .common import LedgerExportCommon


@tagged("post_install", "-at_install")
class TestAccountantFormats(LedgerExportCommon):
    def _posted_moves_2025(self):
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "=", "posted"),
                ("date", ">=", "2025-01-01"),
                ("date", "<=", "2025-12-31"),
            ]
        )

    def _csv_rows(self, export):
        text = self._content(export).decode("iso8859-15")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))

    def test_csv_export_marks_its_entries(self):
        export, _action = self._export(export_format="csv")
        self.assertEqual(export.state, "done")
        self.assertTrue(export.file_name.endswith(".csv"))
        rows = self._csv_rows(export)
        self.assertEqual(rows[0], list(formats.DEFAULT_CSV_COLUMNS))
        moves = self._posted_moves_2025()
        self.assertEqual(
            len(rows) - 1, len(moves.line_ids.filtered("balance")), "one row per item"
        )
        self.assertEqual(export.line_count, len(rows) - 1)
        # settable decimal mark and date format: comma and dd/mm/yyyy by default
        receivable = self.company_data["default_account_receivable"]
        row = next(
            r
            for r in rows[1:]
            if r[2] == self.invoice_1.name and r[3] == receivable.code
        )
        self.assertEqual((row[0], row[9], row[10]), ("15/01/2025", "1150,00", "0,00"))
        self.assertEqual((row[5], row[6]), ("CLI-A", "Société Œuvre € Ltd"))
        # each exported entry remembers its batch; drafts are not exported
        self.assertEqual(export.move_ids, moves)
        self.assertEqual(export.move_count, len(moves))
        self.assertFalse(self.draft_invoice.ledger_export_id)

    def test_csv_options(self):
        export, _action = self._export(
            export_format="csv",
            csv_delimiter=",",
            csv_decimal_separator=".",
            csv_date_format="%Y-%m-%d",
            encoding="utf-8",
        )
        text = self._content(export).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        receivable = self.company_data["default_account_receivable"]
        row = next(
            r
            for r in rows[1:]
            if r[2] == self.invoice_1.name and r[3] == receivable.code
        )
        self.assertEqual((row[0], row[9]), ("2025-01-15", "1150.00"))
        self.assertIn("Société Œuvre € Ltd", text)

    def test_only_not_exported_and_undo(self):
        first, _action = self._export(export_format="csv", only_not_exported=True)
        self.assertTrue(first.move_ids)
        # nothing new: said at once, no empty batch
        with self.assertRaises(UserError):
            self._export(export_format="csv", only_not_exported=True)
        # a later entry goes into the next batch only
        late = self._create_invoice_one_line(
            price_unit=75.0,
            partner_id=self.partner_a,
            invoice_date="2025-06-30",
            tax_ids=[],
            post=True,
        )
        third, _action = self._export(export_format="csv", only_not_exported=True)
        self.assertEqual(third.move_ids, late)
        self.assertEqual(third.line_count, 2)
        # an exporter cannot undo a batch, a manager can
        with self.assertRaises(AccessError):
            first.with_user(self.exporter).action_undo_batch()
        first.with_user(self.export_manager).action_undo_batch()
        self.assertEqual(first.state, "undone")
        self.assertFalse(first.move_ids)
        self.assertEqual(late.ledger_export_id, third)
        with self.assertRaises(UserError):
            first.with_user(self.export_manager).action_undo_batch()
        fourth, _action = self._export(export_format="csv", only_not_exported=True)
        self.assertEqual(fourth.move_ids, self._posted_moves_2025() - late)
        # a batch that entries remember cannot be deleted
        with self.assertRaises(UserError):
            fourth.with_user(self.export_manager).unlink()

    def test_ebp_trial_balance(self):
        export, _action = self._export(export_format="ebp")
        text = self._content(export).decode("utf-8")
        lines = text.split("\r\n")
        self.assertEqual(
            lines[0], ",".join(f'"{name}"' for name in formats.EBP_COLUMNS)
        )
        rows = {line.split(",")[0].strip('"'): line for line in lines[1:] if line}
        # partner_a: opening 1,000.00 + invoice 1,150.00, both paid
        receivable = self.company_data["default_account_receivable"]
        self.assertEqual(
            rows[receivable.code],
            f'"{receivable.code}","{receivable.name}",2150.00,2150.00,0.00,0.00',
        )
        # partner_b's own receivable: 300.00 due; its payable: 400.00 carried forward
        receivable_b = self.partner_b.property_account_receivable_id
        self.assertEqual(
            rows[receivable_b.code],
            f'"{receivable_b.code}","{receivable_b.name}",300.00,0.00,300.00,0.00',
        )
        payable_b = self.partner_b.property_account_payable_id
        self.assertEqual(
            rows[payable_b.code],
            f'"{payable_b.code}","{payable_b.name}",0.00,400.00,0.00,400.00',
        )
        self.assertFalse(export.move_ids, "a trial balance marks no entry")

    def test_quadratus(self):
        export, _action = self._export(export_format="quadra")
        lines = self._content(export).decode("iso8859-15").split("\r\n")[:-1]
        self.assertTrue(lines)
        self.assertTrue(all(len(line) == formats.QUADRA_RECORD_WIDTH for line in lines))
        self.assertTrue(all(line.startswith("M") for line in lines))
        receivable = [line for line in lines if line[1:9].rstrip() == "CLI-A"]
        self.assertTrue(receivable)
        self.assertEqual(export.move_ids, self._posted_moves_2025())

    def test_quadratus_refuses_utf8(self):
        with self.assertRaisesRegex(UserError, "encoding"):
            self._export(export_format="quadra", encoding="utf-8")
