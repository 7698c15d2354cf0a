# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Factur-X PDF/A-3 becomes the invoice document of Factur-X companies.

Odoo renders invoice PDFs in batches in ``_prepare_invoice_pdf_report``; the
rendered PDF is kept aside there, before any module (``account_edi_ubl_cii``
embeds Odoo's own CII) post-processes it. Once every after-render hook has
run, ``_call_web_service_after_invoice_pdf_render`` receives the whole batch:
the XML of each invoice is built, the batch is validated in one worker
process (XSD, EN 16931 and BR-FR schematrons), then each PDF is made PDF/A-3
with the XML embedded and replaces the document Odoo is about to attach, so
download, e-mail, portal and batch sending all carry it. Odoo's CII is not
attached for these invoices. ``_link_invoice_documents`` archives the exact
bytes issued.
"""

import logging

from odoo import api, models

from ..tools import facturx_pdf, facturx_validate
from ..tools.exceptions import (
    FacturXDataError,
    FacturXPdfError,
    ValidationPipelineError,
)

_logger = logging.getLogger(__name__)


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_placeholder_mail_attachments_data(
        self, move, invoice_edi_format=None, extra_edis=None, pdf_report=None
    ):
        """The sending wizard lists what is sent: for a Factur-X invoice the
        XML is inside the PDF, and Odoo's own e-invoice XML is not sent."""
        results = super()._get_placeholder_mail_attachments_data(
            move,
            invoice_edi_format=invoice_edi_format,
            extra_edis=extra_edis,
            pdf_report=pdf_report,
        )
        if move._facturx_applies():
            results = [
                values
                for values in results
                if values.get("mimetype") != "application/xml"
            ]
        return results

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        result = super()._prepare_invoice_pdf_report(invoices_data)
        for invoice, invoice_data in invoices_data.items():
            values = invoice_data.get("pdf_attachment_values")
            if values and invoice._facturx_applies():
                invoice_data["facturx_rendered_pdf"] = values["raw"]
        return result

    @api.model
    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        batch = {
            invoice: invoice_data
            for invoice, invoice_data in invoices_data.items()
            if invoice_data.get("facturx_rendered_pdf")
            and not invoice_data.get("error")
        }
        if batch:
            self._facturx_make_documents(batch)
        return super()._call_web_service_after_invoice_pdf_render(invoices_data)

    @api.model
    def _link_invoice_documents(self, invoices_data):
        for invoice_data in invoices_data.values():
            if invoice_data.get("facturx"):
                # Odoo's own CII is not a French Factur-X: ours is the document
                invoice_data.pop("ubl_cii_xml_attachment_values", None)
        result = super()._link_invoice_documents(invoices_data)
        Archive = self.env["facturx.archive"].sudo()
        for invoice, invoice_data in invoices_data.items():
            document = invoice_data.get("facturx")
            if document and invoice_data.get("pdf_attachment_values"):
                Archive._archive_issued_document(
                    invoice,
                    invoice_data["pdf_attachment_values"]["name"],
                    invoice_data["pdf_attachment_values"]["raw"],
                    document["xml"],
                    document["report"],
                )
        return result

    # -------------------------------------------------------------------------
    # Factur-X
    # -------------------------------------------------------------------------

    @api.model
    def _facturx_fail(self, invoice_data, errors):
        """Record an error: the invoice is neither attached nor sent."""
        invoice_data["error"] = {
            "error_title": self.env._("The Factur-X invoice could not be issued:"),
            "errors": errors,
        }
        invoice_data.pop("pdf_attachment_values", None)
        invoice_data.pop("facturx", None)

    @api.model
    def _facturx_make_documents(self, invoices_data):
        """Build, validate (one worker batch) and embed the XML of each invoice."""
        xmls = {}
        for invoice, invoice_data in invoices_data.items():
            rendered = invoice_data["facturx_rendered_pdf"]
            if not rendered.startswith(b"%PDF-"):
                # tests without force_report_rendering get HTML: nothing to embed in
                _logger.info("Factur-X skipped for %s: not a PDF", invoice.name)
                continue
            try:
                xmls[invoice] = invoice._facturx_xml()
            except FacturXDataError as error:
                self._facturx_fail(invoice_data, error.problems)
            except Exception as error:
                self._facturx_fail(invoice_data, [str(error)])
        if not xmls:
            return
        try:
            reports = facturx_validate.validate_many(list(xmls.values()))
        except ValidationPipelineError as error:
            for invoice in xmls:
                self._facturx_fail(invoices_data[invoice], [str(error)])
            return
        for (invoice, xml), report in zip(xmls.items(), reports, strict=True):
            invoice_data = invoices_data[invoice]
            if not report.ok:
                self._facturx_fail(invoice_data, [f.message for f in report.errors])
                continue
            try:
                pdf = facturx_pdf.make_facturx_pdf(
                    invoice_data["facturx_rendered_pdf"],
                    xml,
                    lang=(invoice.partner_id.lang or "fr_FR").replace("_", "-"),
                )
            except FacturXPdfError as error:
                self._facturx_fail(invoice_data, error.problems or [str(error)])
                continue
            invoice_data["pdf_attachment_values"]["raw"] = pdf
            invoice_data["facturx"] = {"xml": xml, "report": report.to_dict()}
