# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recurring_rule_id = fields.Many2one(
        related="company_id.recurring_rule_id", readonly=False
    )
    recurring_proration_method = fields.Selection(
        related="company_id.recurring_proration_method", readonly=False
    )
    recurring_auto_post = fields.Boolean(
        related="company_id.recurring_auto_post", readonly=False
    )
