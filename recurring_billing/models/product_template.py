# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    recurring_ok = fields.Boolean(
        string="Subscription",
        help="Confirming a sale order for this product creates or extends a "
        "contract that bills it every period.",
    )
    recurring_rule_id = fields.Many2one(
        "recurring.rule",
        string="Default recurrence",
        help="Recurrence of the contracts created from sale orders.",
    )
