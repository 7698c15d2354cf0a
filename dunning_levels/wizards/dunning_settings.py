# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningSettings(models.TransientModel):
    """The dunning settings and late-payment terms of the current company, for
    credit managers (``company.settings.form``)."""

    _name = "dunning.settings"
    _inherit = "company.settings.form"
    _description = "Dunning settings"

    late_payment_rate_type = fields.Selection(
        selection=lambda self: self.env["res.company"]
        ._fields["late_payment_rate_type"]
        ._description_selection(self.env),
        string="Late-payment penalty rate",
        required=True,
    )
    late_payment_rate = fields.Float(
        string="Contractual penalty rate (%)", digits=(5, 2)
    )
    early_payment_discount_terms = fields.Char()
    dunning_policy_id = fields.Many2one(
        "dunning.policy",
        string="Default dunning policy",
        domain="[('company_id', '=', company_id)]",
    )

    @api.model
    def _company_setting_fields(self):
        return [
            "late_payment_rate_type",
            "late_payment_rate",
            "early_payment_discount_terms",
            "dunning_policy_id",
        ]

    @api.model
    def _manager_group(self):
        return "dunning_levels.group_dunning_manager"
