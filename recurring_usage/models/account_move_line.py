# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    usage_rating_ids = fields.One2many(
        "usage.rating", "move_line_id", string="Rated usage", copy=False
    )
    usage_event_ids = fields.One2many(
        "usage.event", "move_line_id", string="Usage events"
    )
