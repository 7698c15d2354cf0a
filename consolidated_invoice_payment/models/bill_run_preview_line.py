# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.recurring_payment.tools import schedule


class BillRunPreviewLine(models.Model):
    _inherit = "bill.run.preview.line"

    payment_token_id = fields.Many2one(
        "payment.token",
        string="Payment method",
        help="The saved payment method the invoice of this line is paid with "
        "automatically once posted.",
    )
    collection_date = fields.Date(
        string="Expected charge date",
        help="The day the invoice will be charged or debited: the day it is "
        "posted for a card, after the pre-notification lead time and the due "
        "date for a direct debit. Empty when the run does not post the invoice "
        "(its collection starts when it is posted).",
    )

    @api.model
    def _values_from_invoices(self, invoices, partner):
        """Each line also says how its invoice will be paid and when: what
        posting it schedules (``account.move._collection_start``)."""
        values = super()._values_from_invoices(invoices, partner)
        collection = {
            index: self._collection_of(invoice)
            for index, invoice in enumerate(invoices, start=1)
        }
        for line in values:
            token, day = collection[line["invoice_index"]]
            line["payment_token_id"] = token.id
            line["collection_date"] = day
        return values

    @api.model
    def _collection_of(self, invoice):
        """The payment method of a prepared invoice and the day its first
        charge will be due, if the run posts it (False otherwise)."""
        header = invoice["values"]
        token = self.env["payment.token"].browse(header.get("payment_token_id"))
        if not token or not invoice.get("post") or invoice.get("carried_over"):
            return token, False
        company = self.env["res.company"].browse(header["company_id"])
        invoice_date = fields.Date.to_date(header.get("invoice_date"))
        # posted when the run bills it: on its date, or today if later
        posted_on = max(filter(None, [fields.Date.context_today(self), invoice_date]))
        move = self.env["account.move"].new(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "payment_token_id": token.id,
            }
        )
        return token, schedule.first_collection_date(
            posted_on,
            due_date=self._due_date(header, invoice_date or posted_on),
            notice_days=company.recurring_payment_notice_days,
            debit=move._collection_is_debit(),
        )

    @api.model
    def _due_date(self, header, invoice_date):
        """The due date the invoice will get from its payment term (the
        latest of its instalments), or its date without one."""
        term = self.env["account.payment.term"].browse(
            header.get("invoice_payment_term_id")
        )
        return max(
            (line._get_due_date(invoice_date) for line in term.line_ids),
            default=invoice_date,
        )
