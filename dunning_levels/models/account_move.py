# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_late_payment_mentions(self):
        """The company's late-payment terms for this invoice's PDF, or None.

        Customer invoices only; the rate of the half-year of the invoice date.
        None when the rate table lacks that half-year: the PDF then states the
        legal rule without a figure rather than refusing to print.
        """
        self.ensure_one()
        if self.move_type != "out_invoice":
            return None
        day = self.invoice_date or fields.Date.context_today(self)
        try:
            return self.company_id._get_late_payment_terms(day)
        except UserError:
            return None
