# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class RecurringInvoicing(models.AbstractModel):
    _inherit = "recurring.invoicing"

    @api.model
    def _prepare_invoice_header(self, contract):
        """A contract paid under a SEPA mandate: the invoice carries the
        mandate and the company's SEPA direct debit payment mode (OCA's
        fields, read by its payment orders)."""
        values = super()._prepare_invoice_header(contract)
        mandate = contract.mandate_id
        if mandate.state == "valid" and not values.get("payment_token_id"):
            values["mandate_id"] = mandate.id
            mode = contract.company_id._recurring_payment_sepa_mode()
            if mode:
                values["payment_mode_id"] = mode.id
        else:
            values["mandate_id"] = False
        return values

    @api.model
    def _get_invoice_split_keys(self):
        return [*super()._get_invoice_split_keys(), "mandate_id"]
