# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringBillingSettings(models.TransientModel):
    _inherit = "recurring.billing.settings"

    recurring_payment_retry_days = fields.Char(
        string="Retry schedule",
        help="Days after the first attempt on which a failed automatic payment "
        "is tried again, separated by commas. Empty: no retry.",
    )
    recurring_payment_notice_days = fields.Integer(
        string="Pre-notification lead time",
        help="Days between the invoice (which tells the customer the amount and "
        "the date) and a direct debit: the debit is never requested earlier.",
    )

    @api.model
    def _company_setting_fields(self):
        return [
            *super()._company_setting_fields(),
            "recurring_payment_retry_days",
            "recurring_payment_notice_days",
        ]
