# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    recurring_period_ids = fields.One2many(
        "recurring.period", "move_line_id", string="Billed periods", readonly=True
    )
