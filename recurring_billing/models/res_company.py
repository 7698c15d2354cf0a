# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .recurring_contract import PRORATION_METHODS


class ResCompany(models.Model):
    _inherit = "res.company"

    recurring_rule_id = fields.Many2one(
        "recurring.rule", string="Default recurrence for contracts"
    )
    recurring_proration_method = fields.Selection(
        PRORATION_METHODS, string="Default proration", default="actual_days"
    )
    recurring_auto_post = fields.Boolean(
        string="Post recurring invoices",
        help="Invoices created from contracts are posted at once; otherwise they "
        "stay in draft for review.",
    )
