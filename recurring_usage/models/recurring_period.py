# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RecurringPeriod(models.Model):
    _inherit = "recurring.period"

    @api.model_create_multi
    def create(self, vals_list):
        """The bill run pairs every product line it created with a charge and
        asks each for its ledger row; the usage lines that are not a due
        period (a group-by value, a true-up, a correction) have none."""
        vals_list = [vals for vals in vals_list if not vals.get("usage_extra")]
        return super().create(vals_list)
