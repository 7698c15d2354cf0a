# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    recurring_payment_sepa_mode_id = fields.Many2one(
        "account.payment.mode",
        string="SEPA direct debit payment mode",
        check_company=True,
        domain="[('payment_type', '=', 'inbound'), "
        "('payment_method_id.code', '=', 'sepa_direct_debit'), "
        "('company_id', '=', id)]",
        help="The payment mode of the invoices paid under a SEPA mandate and of "
        "the direct-debit payment orders they join. Empty: the company's first "
        "SEPA direct debit payment mode.",
    )

    def _recurring_payment_sepa_mode(self):
        """The SEPA direct debit payment mode of the company, or an empty
        recordset."""
        self.ensure_one()
        if self.recurring_payment_sepa_mode_id:
            return self.recurring_payment_sepa_mode_id
        return self.env["account.payment.mode"].search(
            [
                ("company_id", "=", self.id),
                ("payment_type", "=", "inbound"),
                ("payment_method_id.code", "=", "sepa_direct_debit"),
                ("payment_order_ok", "=", True),
            ],
            limit=1,
        )
