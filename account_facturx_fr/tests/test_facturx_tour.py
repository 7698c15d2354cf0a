# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .facturx_common import FacturXCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15 10:00:00")
class TestFacturXArchiveTour(FacturXCommon, HttpCase):
    """A billing administrator of a Community database (no technical group)
    reaches the archive, reads an entry in words and checks the chain."""

    def test_archive_in_the_browser(self):
        invoice = self._facturx_invoice()
        self.env["facturx.archive"].sudo()._archive_issued_document(
            invoice,
            f"{invoice.name}.pdf",
            b"%PDF-1.7 invoice",
            b"<xml/>",
            {"ok": True, "steps": ["xsd", "en16931", "br-fr"]},
        )
        company = self.env.company
        new_test_user(
            self.env,
            login="fx_tour_admin",
            password="fx_tour_admin",
            groups="account.group_account_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        self.start_tour(
            "/odoo/action-account_facturx_fr.facturx_archive_action",
            "facturx_archive_tour",
            login="fx_tour_admin",
        )
