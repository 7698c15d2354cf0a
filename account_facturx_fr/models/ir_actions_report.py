# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from collections import OrderedDict

from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Printing an issued Factur-X invoice gives the document as issued.

        For invoice reports (not pro forma), invoices of a Factur-X company
        whose PDF/A-3 was issued and archived are served from their invoice
        PDF, byte for byte, instead of a new rendering without the XML.
        """
        issued = self.env["account.move"]
        if (
            res_ids
            and self._is_invoice_report(report_ref)
            and not (data or {}).get("proforma")
            and not self.env.context.get("proforma_invoice")
        ):
            moves = self.env["account.move"].browse(res_ids).exists()
            issued = moves.filtered(
                lambda move: move.invoice_pdf_report_id
                and move.sudo().facturx_archive_ids
            )
        if not issued:
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        issued_by_id = {move.id: move for move in issued}
        others = [res_id for res_id in res_ids if res_id not in issued_by_id]
        rendered = (
            super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=others)
            if others
            else {}
        )
        streams = OrderedDict()
        for res_id in res_ids:
            move = issued_by_id.get(res_id)
            if move:
                streams[res_id] = {
                    "stream": io.BytesIO(move.invoice_pdf_report_id.raw),
                    "attachment": move.invoice_pdf_report_id,
                }
            elif res_id in rendered:
                streams[res_id] = rendered[res_id]
        return streams
