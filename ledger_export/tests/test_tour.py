# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLedgerExportTour(HttpCase):
    def test_export_form_reads_as_an_accountant_writes(self):
        new_test_user(
            self.env,
            login="tour_ledger_exporter",
            password="tour_ledger_exporter",
            groups="ledger_export.group_ledger_export_user",
        )
        self.start_tour(
            "/odoo/action-ledger_export.ledger_export_wizard_action_fec",
            "ledger_export_wizard_tour",
            login="tour_ledger_exporter",
        )
