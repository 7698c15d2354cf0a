# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    usage_late_policy = fields.Selection(
        [
            ("correct", "Bill them on the next invoice as a correction"),
            ("refuse", "Refuse them"),
        ],
        string="Late usage events",
        default="correct",
        required=True,
        help="Events arriving for a usage period that is already billed.",
    )
