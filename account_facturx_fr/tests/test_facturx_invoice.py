# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..tools import facturx_pdf, facturx_validate
from .facturx_common import NS, FacturXCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestFacturXInvoice(FacturXCommon):
    def _check_document(self, move, type_code):
        """The invoice PDF is a checked PDF/A-3 whose XML passes the pipeline."""
        attachment = move.invoice_pdf_report_id
        self.assertTrue(attachment, "the invoice has its PDF")
        check = facturx_pdf.check_pdf(attachment.raw)
        self.assertEqual(check.problems, [])
        report = facturx_validate.validate(check.xml)
        self.assertEqual([f.message for f in report.errors], [])
        self.assertEqual(
            report.steps, ("xsd", "en16931", "br-fr"), "all three steps ran"
        )
        root = etree.fromstring(check.xml)
        self.assertEqual(
            root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS),
            type_code,
        )
        self.assertEqual(
            root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS), move.name
        )
        archive = move.facturx_archive_ids
        self.assertEqual(len(archive), 1)
        self.assertTrue(
            archive.validation_summary.startswith("Valid (XSD, EN 16931, BR-FR)")
        )
        self.assertEqual(archive.pdf_sha256, hashlib.sha256(attachment.raw).hexdigest())
        self.assertEqual(archive.xml_sha256, hashlib.sha256(check.xml).hexdigest())
        return root

    def test_posted_invoice_yields_a_valid_pdfa3(self):
        invoice = self._facturx_invoice()
        self._issue(invoice)
        root = self._check_document(invoice, "380")
        self.assertEqual(
            root.findtext(
                ".//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                namespaces=NS,
            ),
            "123456782",
        )
        notes = root.xpath(
            "rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode/text()",
            namespaces=NS,
        )
        self.assertEqual(sorted(notes), ["AAB", "BAR", "PMD", "PMT"])
        self.assertEqual(
            root.findtext(
                ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
                "/ram:GrandTotalAmount",
                namespaces=NS,
            ),
            "360.00",
        )
        # no BT-8 without the VAT-on-debits option
        self.assertFalse(root.xpath(".//ram:DueDateTypeCode", namespaces=NS))
        # printing the issued invoice gives the document as issued
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(pdf, invoice.invoice_pdf_report_id.raw)

    def test_credit_note_references_the_invoice(self):
        invoice = self._facturx_invoice()
        credit_note = invoice._reverse_moves(
            [{"invoice_date": "2026-03-15", "ref": "Avoir"}]
        )
        credit_note.action_post()
        self._issue(credit_note)
        root = self._check_document(credit_note, "381")
        self.assertEqual(
            root.findtext(
                ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                namespaces=NS,
            ),
            invoice.name,
        )

    def test_service_periods_and_vat_on_debits(self):
        self.env.company.vat_on_debits = True
        invoice = self._facturx_invoice(
            lines=[
                {
                    "product_id": self.service.id,
                    "quantity": 1,
                    "price_unit": 99.99,
                    "discount": 10,
                    "tax_ids": [self.tax_20.id],
                    "service_start_date": "2026-03-01",
                    "service_end_date": "2026-03-31",
                },
                {
                    "name": "Formation",
                    "quantity": 2,
                    "price_unit": 250.0,
                    "tax_ids": [self.tax_exempt.id],
                },
            ]
        )
        self._issue(invoice)
        root = self._check_document(invoice, "380")
        self.assertEqual(
            root.findtext(
                ".//ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod"
                "/ram:StartDateTime/udt:DateTimeString",
                namespaces={
                    **NS,
                    "udt": "urn:un:unece:uncefact:data:standard:"
                    "UnqualifiedDataType:100",
                },
            ),
            "20260301",
        )
        self.assertEqual(
            root.xpath(".//ram:DueDateTypeCode/text()", namespaces=NS)[:1], ["5"]
        )
        self.assertIn(
            "article 261-4-4",
            " ".join(root.xpath(".//ram:ExemptionReason/text()", namespaces=NS)),
        )

    def test_preflight_blocks_a_french_customer_without_siren(self):
        self.customer.company_registry = False
        invoice = self._facturx_invoice(post=False)
        with self.assertRaisesRegex(UserError, "has no SIREN"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")

    def test_preflight_names_everything_missing(self):
        self.env.company.write({"company_registry": False, "vat": False})
        self.customer.write({"street": False, "city": False})
        invoice = self._facturx_invoice(post=False)
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        message = caught.exception.args[0]
        for expected in ("SIREN or SIRET", "no VAT number", "street", "city"):
            self.assertIn(expected, message)

    def test_preflight_credit_note_needs_its_invoice(self):
        credit_note = self._facturx_invoice(post=False, move_type="out_refund")
        with self.assertRaisesRegex(UserError, "reference the invoice it credits"):
            credit_note.action_post()

    def test_other_companies_post_as_before(self):
        self.env.company.facturx_enabled = False
        self.customer.company_registry = False
        invoice = self._facturx_invoice()
        self.assertEqual(invoice.state, "posted")

    def test_download_issues_the_factur_x_document(self):
        invoice = self._facturx_invoice()
        with self.allow_pdf_render():
            document = invoice.with_context(
                force_report_rendering=True
            )._get_invoice_legal_documents("pdf", allow_fallback=True)
        self.assertEqual(document["content"], invoice.invoice_pdf_report_id.raw)
        self._check_document(invoice, "380")

    def test_print_after_posting_gives_the_factur_x_document(self):
        """Print (not only Send) gives the legal document, never a pro forma."""
        invoice = self._facturx_invoice(buyer_reference="SERVICE-42")
        with self.allow_pdf_render():
            action = invoice.with_context(
                force_report_rendering=True
            ).action_print_pdf()
            self.assertFalse(action.get("context", {}).get("proforma_invoice"))
            pdf, _type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("account.account_invoices", invoice.ids)
            )
        root = self._check_document(invoice, "380")
        self.assertEqual(pdf, invoice.invoice_pdf_report_id.raw)
        self.assertEqual(
            root.findtext(".//ram:BuyerReference", namespaces=NS), "SERVICE-42"
        )

    def test_category_and_exemption_from_odoo_e_invoicing(self):
        """A 0 % tax set up the way Odoo's French chart sets it (category and
        VATEX code of account_edi_ubl_cii) is issued without more setup."""
        tax = self.tax_exempt.copy(
            {
                "name": "Exonéré (plan comptable)",
                "facturx_vat_category": False,
                "facturx_exemption_reason": False,
                "ubl_cii_tax_category_code": "E",
                "ubl_cii_tax_exemption_reason_code": "VATEX-EU-132-1I",
            }
        )
        self.assertEqual(tax._facturx_category(), "E")
        invoice = self._facturx_invoice(
            lines=[
                {
                    "name": "Formation",
                    "quantity": 1,
                    "price_unit": 500.0,
                    "tax_ids": [Command.set(tax.ids)],
                }
            ]
        )
        self._issue(invoice)
        root = self._check_document(invoice, "380")
        self.assertEqual(
            root.findtext(
                ".//ram:ApplicableHeaderTradeSettlement"
                "/ram:ApplicableTradeTax/ram:ExemptionReasonCode",
                namespaces=NS,
            ),
            "VATEX-EU-132-1I",
        )

    def test_send_wizard_lists_only_what_is_sent(self):
        invoice = self._facturx_invoice()
        for edi_format in ("ubl_bis3", "facturx", None):
            placeholders = self.env[
                "account.move.send"
            ]._get_placeholder_mail_attachments_data(
                invoice, invoice_edi_format=edi_format
            )
            self.assertEqual(
                [p["mimetype"] for p in placeholders], ["application/pdf"], edi_format
            )

    def test_invoice_form_shows_the_buyer_references(self):
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="buyer_reference"', arch)
        self.assertIn('name="purchase_order_reference"', arch)

    def test_batch_sending_validates_in_one_worker_run(self):
        invoices = self._facturx_invoice() + self._facturx_invoice()
        # one invoice per wkhtmltopdf call (Debian's wkhtmltopdf cannot do more)
        self.env["ir.config_parameter"].sudo().set_param(
            "account.pdf_generation_batch", "0"
        )
        with patch.object(
            facturx_validate, "validate_many", wraps=facturx_validate.validate_many
        ) as validate_many:
            self._issue(invoices)
        self.assertEqual(validate_many.call_count, 1)
        self.assertEqual(len(validate_many.call_args.args[0]), 2)
        for invoice in invoices:
            self._check_document(invoice, "380")
        self.assertEqual(
            sorted(invoices.facturx_archive_ids.mapped("sequence")), [1, 2]
        )

    def test_invalid_data_is_reported_not_issued(self):
        invoice = self._facturx_invoice()
        # the customer loses its address after posting: the XML cannot be built
        self.customer.write({"country_id": False})
        with self.assertRaisesRegex(UserError, "Factur-X invoice could not be issued"):
            self._issue(invoice)
        self.assertFalse(invoice.invoice_pdf_report_id)
        self.assertFalse(invoice.facturx_archive_ids)
