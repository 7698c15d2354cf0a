# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from ..tools import facturx_pdf
from .facturx_common import FacturXCommon


@tagged("post_install", "-at_install")
class TestFacturXPortal(FacturXCommon, HttpCase):
    """The customer downloads, from the portal, the Factur-X PDF as issued."""

    def test_portal_download_is_the_issued_factur_x(self):
        invoice = self._facturx_invoice()
        self._issue(invoice)
        issued = invoice.invoice_pdf_report_id.raw
        self.assertTrue(facturx_pdf.check_pdf(issued).ok)
        url = invoice.get_portal_url(report_type="pdf", download=True)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, issued)
