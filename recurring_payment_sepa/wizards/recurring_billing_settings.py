# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class RecurringBillingSettings(models.TransientModel):
    _inherit = "recurring.billing.settings"

    recurring_payment_sepa_mode_id = fields.Many2one(
        "account.payment.mode",
        string="SEPA direct debit payment mode",
        domain="[('payment_type', '=', 'inbound'), "
        "('payment_method_id.code', '=', 'sepa_direct_debit'), "
        "('company_id', '=', company_id)]",
        help="The payment mode of the invoices paid under a SEPA mandate and of "
        "the direct-debit payment orders they join. Empty: the company's first "
        "SEPA direct debit payment mode.",
    )

    @api.model
    def _company_setting_fields(self):
        return [*super()._company_setting_fields(), "recurring_payment_sepa_mode_id"]
