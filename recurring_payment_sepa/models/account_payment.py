# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _sepa_reverse_returned(self, code):
        """The bank returned this direct debit: its entry is reversed (dated
        today, reconciled with it) after the invoices it paid are
        unreconciled, so they are open again; the payment is *Rejected*."""
        self.ensure_one()
        move = self.move_id
        receivable = move.line_ids.filtered(
            lambda line: line.account_id == self.destination_account_id
        )
        receivable.remove_move_reconcile()
        move._reverse_moves(
            [
                {
                    "date": fields.Date.context_today(self),
                    "ref": self.env._(
                        "Direct debit returned (%(code)s): %(payment)s",
                        code=code,
                        payment=self.name,
                    ),
                }
            ],
            cancel=True,
        )
        self.action_reject()
