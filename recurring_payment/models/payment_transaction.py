# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        """Record the outcome on the automatic payment attempts (a pending
        charge settled later by the provider comes through here too)."""
        result = super()._post_process()
        attempts = (
            self.env["recurring.payment.attempt"]
            .sudo()
            .search(
                [
                    ("transaction_id", "in", self.ids),
                    ("state", "in", ("charging", "pending")),
                ]
            )
        )
        attempts._sync_from_transaction()
        return result
