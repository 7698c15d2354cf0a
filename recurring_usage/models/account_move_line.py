# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    usage_rating_ids = fields.One2many(
        "usage.rating", "move_line_id", string="Rated usage", copy=False
    )
    usage_event_ids = fields.Many2many(
        "usage.event", string="Usage events", compute="_compute_usage_event_ids"
    )

    @api.depends("usage_rating_ids.event_ids")
    def _compute_usage_event_ids(self):
        """The events of the line's ratings (an event keeps its rating only)."""
        for line in self:
            line.usage_event_ids = line.usage_rating_ids.event_ids
