# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SIREN, LedgerExportCommon


@tagged("post_install", "-at_install")
class TestBackgroundExport(LedgerExportCommon):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "ledger_export.background_threshold", "3"
        )
        self.cron = self.env.ref("ledger_export.ir_cron_ledger_export_generate")

    def test_large_ledger_runs_in_the_cron(self):
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        export, action = self._export()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(export.state, "queued")
        self.assertFalse(export.attachment_id)
        new_triggers = (
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
            - triggers
        )
        self.assertTrue(new_triggers, "the cron is triggered")
        # the cron commits its progress (ir.cron._commit_progress commits even
        # outside a cron): the test keeps its one transaction, as core's tests
        # do, by patching the cursor's commit
        with freeze_time("2026-02-15"), patch.object(self.env.cr, "commit"):
            self.env["ledger.export"].sudo()._cron_generate_queued()
        self.assertEqual(export.state, "done")
        self.assertEqual(export.file_name, f"{SIREN}FEC20251231.txt")
        self.assertEqual(export.check_error_count, 0, export.check_report)
        message = export.message_ids.filtered(
            lambda m: self.exporter.partner_id in m.notified_partner_ids
        )
        self.assertTrue(message, "the requester is notified")
        self.assertIn(export.file_name, message[0].body)

    def test_one_failing_export_does_not_stop_the_others(self):
        broken, _action = self._export()
        good, _action = self._export(official=False)
        self.assertEqual((broken.state, good.state), ("queued", "queued"))
        Fec = type(self.env["ledger.export.fec"])
        original = Fec._filename

        def filename(service, export):
            registry = "not a siren" if export.id == broken.id else SIREN
            export.company_id.sudo().company_registry = registry
            return original(service, export)

        with (
            patch.object(Fec, "_filename", filename),
            freeze_time("2026-02-15"),
            patch.object(self.env.cr, "commit"),
            mute_logger("odoo.addons.ledger_export.models.ledger_export"),
        ):
            self.env["ledger.export"].sudo()._cron_generate_queued()
        self.assertEqual(broken.state, "failed")
        self.assertIn("SIREN", broken.error_message)
        self.assertFalse(broken.attachment_id)
        self.assertEqual(good.state, "done")
        self.assertTrue(good.attachment_id)
        failed_message = broken.message_ids.filtered(
            lambda m: self.exporter.partner_id in m.notified_partner_ids
        )
        self.assertTrue(failed_message)
