# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import html

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from ..tools import facturx_pdf, facturx_validate
from .facturx_common import NS, FacturXCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-12-02")
class TestFacturXWithoutRateRow(FacturXCommon):
    """Posting never waits for a row of the late-payment rate table: the
    mentions and the PMT/PMD notes state the rule, which needs no figure."""

    def _notes(self, root):
        return {
            note.findtext("ram:SubjectCode", namespaces=NS): note.findtext(
                "ram:Content", namespaces=NS
            )
            for note in root.xpath(
                "rsm:ExchangedDocument/ram:IncludedNote", namespaces=NS
            )
        }

    def test_invoice_of_a_half_year_without_rates_is_issued(self):
        rates = self.env["dunning.rate"].search([])
        self.assertNotIn("2026-07-01", [str(day) for day in rates.mapped("date_start")])
        invoice = self._facturx_invoice(invoice_date="2026-11-20")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice._facturx_preflight_problems(), [])
        self._issue(invoice)
        check = facturx_pdf.check_pdf(invoice.invoice_pdf_report_id.raw)
        self.assertEqual(check.problems, [])
        report = facturx_validate.validate(check.xml)
        self.assertEqual([f.message for f in report.errors], [])
        notes = self._notes(etree.fromstring(check.xml))
        self.assertEqual(
            notes["PMD"],
            "Pénalités de retard exigibles dès le lendemain de la date "
            "d'échéance, sans rappel : taux de refinancement de la BCE majoré de "
            "10 points.",
        )
        self.assertEqual(
            notes["PMT"],
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de "
            "paiement : 40 € (articles L441-10 et D441-5 du Code de commerce).",
        )
        text = html.unescape(
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn(
            "at the European Central Bank's main refinancing rate plus 10 "
            "percentage points.",
            text,
        )

    def test_invoice_of_a_half_year_with_rates_gives_the_figure(self):
        invoice = self._facturx_invoice()  # 2026-03-15: H1 2026 is seeded
        self._issue(invoice)
        check = facturx_pdf.check_pdf(invoice.invoice_pdf_report_id.raw)
        notes = self._notes(etree.fromstring(check.xml))
        self.assertEqual(
            notes["PMD"],
            "Pénalités de retard exigibles dès le lendemain de la date "
            "d'échéance, sans rappel : taux annuel de 12,15 % (taux de "
            "refinancement de la BCE (2,15 %) majoré de 10 points, 1er semestre "
            "2026).",
        )
