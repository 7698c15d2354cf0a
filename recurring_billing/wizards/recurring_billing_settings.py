# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringBillingSettings(models.TransientModel):
    """The billing settings of the current company, for billing managers
    (``company.settings.form``); addons that add billing settings extend
    ``_company_setting_fields``."""

    _name = "recurring.billing.settings"
    _inherit = "company.settings.form"
    _description = "Billing settings"

    recurring_rule_id = fields.Many2one(
        "recurring.rule",
        string="Default recurrence for contracts",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    recurring_proration_method = fields.Selection(
        selection=lambda self: self.env["res.company"]
        ._fields["recurring_proration_method"]
        ._description_selection(self.env),
        string="Default proration",
        required=True,
    )
    recurring_auto_post = fields.Boolean(string="Post recurring invoices")

    @api.model
    def _company_setting_fields(self):
        return [
            "recurring_rule_id",
            "recurring_proration_method",
            "recurring_auto_post",
        ]

    @api.model
    def _manager_group(self):
        return "recurring_billing.group_billing_manager"
