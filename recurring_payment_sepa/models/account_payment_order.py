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
