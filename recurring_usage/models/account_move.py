# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def button_cancel(self):
        """A cancelled invoice frees its usage: its events are billed again
        (the period ledger frees their period the same way)."""
        self._usage_release()
        return super().button_cancel()

    def _usage_release(self):
        """Deleting the ratings frees their events (a trigger deletes their
        claims)."""
        ratings = self.env["usage.rating"].sudo().search([("move_id", "in", self.ids)])
        if ratings:
            ratings.unlink()
            self.env["usage.event"].invalidate_model(["rating_id", "state"])
