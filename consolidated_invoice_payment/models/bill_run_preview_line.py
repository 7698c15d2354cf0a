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
    collection_method = fields.Char(
        string="Automatic payment",
        help="How the invoice of this line is paid automatically once posted: "
        "its saved payment method, or its direct-debit mandate.",
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
            token, method, day = collection[line["invoice_index"]]
            line["payment_token_id"] = token.id
            line["collection_method"] = method
            line["collection_date"] = day
        return values

    @api.model
    def _collection_of(self, invoice):
        """The saved payment method of a prepared invoice, how it will be
        paid in words (any method: a bridge says its own, a SEPA mandate) and
        the day its first charge or debit will be due, if the run posts it
        (False otherwise)."""
        header = invoice["values"]
        token = self.env["payment.token"].browse(header.get("payment_token_id"))
        move = self._collection_move(header)
        method = move._collection_method_label()
        if not method or not invoice.get("post") or invoice.get("carried_over"):
            return token, method or False, False
        company = move.company_id
        invoice_date = fields.Date.to_date(header.get("invoice_date"))
        # posted when the run bills it: on its date, or today if later
        posted_on = max(filter(None, [fields.Date.context_today(self), invoice_date]))
        return (
            token,
            method,
            schedule.first_collection_date(
                posted_on,
                due_date=self._due_date(header, invoice_date or posted_on),
                notice_days=company.recurring_payment_notice_days,
                debit=move._collection_is_debit(),
            ),
        )

    @api.model
    def _collection_move(self, header):
        """An unsaved invoice with the prepared header's values: what
        ``account.move`` says of its automatic payment applies to it."""
        Move = self.env["account.move"]
        values = {
            name: value
            for name, value in header.items()
            if name in Move._fields
            and Move._fields[name].store
            and Move._fields[name].type not in ("one2many", "many2many")
        }
        values.setdefault("move_type", "out_invoice")
        return Move.new(values)

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
