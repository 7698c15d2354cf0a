# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountPaymentOrder(models.Model):
    _inherit = "account.payment.order"

    payment_attempt_ids = fields.One2many(
        "recurring.payment.attempt",
        "payment_order_id",
        string="Automatic payment attempts",
        readonly=True,
    )

    def generate_payment_file(self):
        """OCA writes the pain.008 line by line, reaching each payment's
        line, mandate, partner and bank account one record at a time (a few
        queries per debit): their fields are read in batches first."""
        if self.payment_method_id.code == "sepa_direct_debit":
            self._sepa_prefetch_file_data()
        return super().generate_payment_file()

    def _sepa_prefetch_file_data(self):
        payments = self.payment_ids
        self._sepa_prefetch(payments)
        payments.fetch(["payment_line_ids"])
        lines = payments.payment_line_ids
        self._sepa_prefetch(lines)
        mandates = lines.mandate_id
        self._sepa_prefetch(mandates)
        partners = payments.partner_id | lines.partner_id
        self._sepa_prefetch(partners)
        self._sepa_prefetch(partners.country_id)
        banks = payments.partner_bank_id | lines.partner_bank_id
        banks |= mandates.partner_bank_id
        self._sepa_prefetch(banks)
        self._sepa_prefetch(banks.bank_id)
        payments.mapped("payment_line_date")

    @staticmethod
    def _sepa_prefetch(records):
        records.fetch(
            [
                name
                for name, field in records._fields.items()
                if field.store and field.column_type and field.prefetch is True
            ]
        )

    def generated2uploaded(self):
        """The file went to the bank: OCA posts and reconciles the payments;
        the debits of recurring invoices are paid."""
        result = super().generated2uploaded()
        self.payment_attempt_ids._sepa_orders_uploaded()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        self.payment_attempt_ids._sepa_orders_cancelled()
        return result
