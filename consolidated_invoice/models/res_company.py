# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    consolidation_policy_id = fields.Many2one(
        "consolidation.policy",
        string="Default consolidation policy",
        help="Bill runs consolidate the invoices of customers that have no "
        "policy of their own with this one. Empty: one invoice per contract.",
    )
