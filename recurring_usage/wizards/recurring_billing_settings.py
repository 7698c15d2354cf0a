# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringBillingSettings(models.TransientModel):
    _inherit = "recurring.billing.settings"

    usage_late_policy = fields.Selection(
        [
            ("correct", "Bill them on the next invoice as a correction"),
            ("refuse", "Refuse them"),
        ],
        string="Late usage events",
        help="Events arriving for a usage period that is already billed.",
    )

    @api.model
    def _company_setting_fields(self):
        return super()._company_setting_fields() + ["usage_late_policy"]
