# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class DunningRate(models.Model):
    _inherit = "dunning.rate"

    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows._clear_policy_warnings()
        return rows

    def write(self, vals):
        result = super().write(vals)
        self._clear_policy_warnings()
        return result

    def _clear_policy_warnings(self):
        """New figures: the next runs say again what is still missing."""
        self.env["dunning.policy"].sudo().with_context(active_test=False).search(
            [("late_payment_warning", "!=", False)]
        ).late_payment_warning = False
