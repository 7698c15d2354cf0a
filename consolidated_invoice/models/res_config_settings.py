# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    consolidation_policy_id = fields.Many2one(
        related="company_id.consolidation_policy_id", readonly=False
    )
