# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringBillingSettings(models.TransientModel):
    _inherit = "recurring.billing.settings"

    consolidation_policy_id = fields.Many2one(
        "consolidation.policy",
        string="Default consolidation policy",
        domain="[('company_id', 'in', (company_id, False))]",
    )

    @api.model
    def _company_setting_fields(self):
        return super()._company_setting_fields() + ["consolidation_policy_id"]
