# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    consolidation_policy_id = fields.Many2one(
        "consolidation.policy",
        string="Consolidation policy",
        company_dependent=True,
        help="Overrides the company's consolidation policy for this customer.",
    )
    consolidation_disabled = fields.Boolean(
        string="Invoice each contract separately",
        company_dependent=True,
        help="Never consolidate this customer's contracts.",
    )
