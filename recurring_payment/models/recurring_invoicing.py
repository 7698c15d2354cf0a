# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RecurringInvoicing(models.AbstractModel):
    _inherit = "recurring.invoicing"

    @api.model
    def _prepare_invoice_header(self, contract):
        values = super()._prepare_invoice_header(contract)
        token = contract.payment_token_id
        values["payment_token_id"] = token.id if token.active else False
        return values

    @api.model
    def _get_invoice_split_keys(self):
        return [*super()._get_invoice_split_keys(), "payment_token_id"]
