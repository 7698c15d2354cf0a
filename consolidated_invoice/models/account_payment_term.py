# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    def _max_days(self):
        """The longest delay of the term, in days from the invoice date, for an
        invoice dated on the 1st of a 31-day month (the worst case of
        end-of-month terms)."""
        self.ensure_one()
        invoice_date = date(2026, 1, 1)
        return max(
            (
                (line._get_due_date(invoice_date) - invoice_date).days
                for line in self.line_ids
            ),
            default=0,
        )
