# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    def button_cancel(self):
        """A cancelled invoice frees its usage: its events are billed again
        (the period ledger frees their period the same way)."""
        self._usage_release()
        return super().button_cancel()

    def _usage_release(self):
        ratings = self.env["usage.rating"].sudo().search([("move_id", "in", self.ids)])
        if not ratings:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE usage_event SET rating_id = NULL WHERE rating_id = ANY(%s)
                """,
                ratings.ids,
            )
        )
        self.env["usage.event"].invalidate_model(["rating_id"])
        ratings.unlink()
