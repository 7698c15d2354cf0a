# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
import json
import zipfile
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..tools import facturx_archive_chain as chain
from .facturx_common import FacturXCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15 10:00:00")
class TestFacturXArchive(FacturXCommon):
    """The archive chain, filled directly (no PDF rendering: the issue path is
    covered by test_facturx_invoice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoices = cls._facturx_invoice() + cls._facturx_invoice()
        Archive = cls.env["facturx.archive"].sudo()
        cls.entries = Archive.browse()
        for n, invoice in enumerate(cls.invoices, 1):
            cls.entries += Archive._archive_issued_document(
                invoice,
                f"{invoice.name}.pdf",
                f"%PDF-1.7 invoice {n}".encode(),
                f"<xml>{n}</xml>".encode(),
                {"ok": True},
            )

    def test_chain_positions_and_hashes(self):
        first, second = self.entries
        self.assertEqual((first.sequence, second.sequence), (1, 2))
        self.assertEqual(first.previous_hash, chain.GENESIS)
        self.assertEqual(second.previous_hash, first.entry_hash)
        self.assertEqual(first.retention_end_date, date(2036, 12, 31))
        (result,) = self.env["facturx.archive"]._check_integrity()
        self.assertIsNone(result["break"])
        self.assertEqual(result["entries"], 2)

    def test_retention_follows_the_fiscal_year_end(self):
        self.env.company.write(
            {"fiscalyear_last_month": "6", "fiscalyear_last_day": 30}
        )
        invoice = self._facturx_invoice()
        entry = (
            self.env["facturx.archive"]
            .sudo()
            ._archive_issued_document(invoice, "x.pdf", b"%PDF-1.7", b"<xml/>", {})
        )
        self.assertEqual(entry.retention_end_date, date(2036, 6, 30))

    def test_tampered_file_is_detected(self):
        # a byte of the first PDF changed behind the ORM's back
        forged = base64.b64encode(b"%PDF-1.7 invoice 1 forged")
        self.env.cr.execute(
            SQL(
                "UPDATE facturx_archive SET pdf_file = %s WHERE id = %s",
                forged,
                self.entries[0].id,
            )
        )
        self.env.invalidate_all()
        (result,) = self.env["facturx.archive"]._check_integrity()
        broken = result["break"]
        self.assertEqual((broken.sequence, broken.reason), (1, "pdf"))
        self.assertIn(self.invoices[0].name, result["message"])
        action = self.entries.action_check_integrity()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("broken at entry 1", action["params"]["message"])

    def test_tampered_metadata_with_consistent_hash_is_detected(self):
        self.env.cr.execute(
            SQL(
                "UPDATE facturx_archive SET amount_total = '1.00' WHERE id = %s",
                self.entries[1].id,
            )
        )
        (result,) = self.env["facturx.archive"]._check_integrity()
        self.assertEqual(
            (result["break"].sequence, result["break"].reason), (2, "entry")
        )

    def test_write_and_unlink_are_refused_even_for_the_superuser(self):
        entry = self.entries[0].sudo()
        with self.assertRaises(UserError):
            entry.write({"number": "FORGED"})
        with self.assertRaises(UserError):
            entry.write({"pdf_file": base64.b64encode(b"%PDF forged")})
        with self.assertRaises(UserError):
            entry.unlink()
        self.assertTrue(entry.exists())
        self.assertIsNone(self.env["facturx.archive"]._check_integrity()[0]["break"])

    def test_accountants_read_but_cannot_create(self):
        accountant = new_test_user(
            self.env,
            login="fx_accountant",
            groups="account.group_account_user",
            company_id=self.env.company.id,
        )
        Archive = self.env["facturx.archive"].with_user(accountant)
        self.assertEqual(Archive.search([]), self.entries)
        with self.assertRaises(AccessError):
            Archive.create({"number": "X"})

    def test_community_roles_reach_the_archive_and_its_export(self):
        """Without "Show Full Accounting Features" (a technical group even the
        administrator lacks in Community): invoicing users read the archive,
        billing administrators and auditors export it."""
        menu = self.env.ref("account_facturx_fr.facturx_archive_menu")
        export_menu = self.env.ref("account_facturx_fr.facturx_archive_export_menu")
        billing_admin = new_test_user(
            self.env,
            login="fx_billing_admin",
            groups="account.group_account_manager",
            company_id=self.env.company.id,
        )
        invoicing = new_test_user(
            self.env,
            login="fx_invoicing",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
        )
        admin = self.env.ref("base.user_admin")
        admin.company_ids = [Command.link(self.env.company.id)]
        for user in (billing_admin, invoicing, admin):
            self.assertFalse(user.has_group("account.group_account_user"))
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible, user.login)
            self.assertEqual(
                self.env["facturx.archive"]
                .with_user(user)
                .with_company(self.env.company)
                .search([]),
                self.entries,
            )
        for user in (billing_admin, admin):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(export_menu.id, visible)
            wizard = (
                self.env["facturx.archive.export"]
                .with_user(user)
                .with_company(self.env.company)
                .create({"date_from": "2026-01-01", "date_to": "2026-12-31"})
            )
            wizard.action_export()
            self.assertTrue(wizard.export_file)
        visible = self.env["ir.ui.menu"].with_user(invoicing)._visible_menu_ids()
        self.assertNotIn(export_menu.id, visible)

    def test_entries_read_in_words(self):
        entry = self.entries[0]
        self.assertEqual(entry.document_type, "out_invoice")
        self.assertEqual(entry.currency_id, self.invoices[0].currency_id)
        self.assertAlmostEqual(entry.total, self.invoices[0].amount_total)
        self.assertEqual(entry.issued_on, fields.Datetime.to_datetime(entry.issued_at))
        self.assertEqual(entry.validation_summary, "Valid.")
        self.assertNotIn("{", entry.validation_summary)

    def test_integrity_notification_when_intact(self):
        action = self.entries.action_check_integrity()
        self.assertEqual(action["params"]["type"], "success")

    def test_monthly_cron_exists_and_runs(self):
        cron = self.env.ref("account_facturx_fr.ir_cron_facturx_archive_integrity")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        (result,) = self.env["facturx.archive"]._cron_check_integrity()
        self.assertEqual(result["entries"], 2)
        self.assertIsNone(result["break"])

    def test_auditor_export(self):
        wizard = self.env["facturx.archive.export"].create(
            {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
        wizard.action_export()
        content = base64.b64decode(wizard.export_file)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            rows = list(
                csv.DictReader(io.StringIO(archive.read("manifest.csv").decode()))
            )
            self.assertEqual(
                [row["number"] for row in rows], self.invoices.mapped("name")
            )
            for row in rows:
                self.assertEqual(
                    chain.sha256_hex(archive.read(row["pdf_file"])), row["pdf_sha256"]
                )
            (report,) = json.loads(archive.read("chain.json"))
            self.assertTrue(report["intact"])
            self.assertEqual(
                report["entries"][-1]["entry_hash"], self.entries[1].entry_hash
            )
            self.assertEqual(json.loads(archive.read("manifest.json"))["entries"], rows)

    def test_export_of_an_empty_period_is_refused(self):
        wizard = self.env["facturx.archive.export"].create(
            {"date_from": "2025-01-01", "date_to": "2025-12-31"}
        )
        with self.assertRaisesRegex(UserError, "No archived Factur-X document"):
            wizard.action_export()
