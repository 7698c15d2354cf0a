# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    recurring_payment_mandate_id = fields.Many2one(
        "account.banking.mandate",
        string="Default SEPA mandate for contracts",
        company_dependent=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), "
        "('state', '=', 'valid')]",
        help="New contracts of this customer are paid by SEPA direct debit under "
        "this mandate (unless they get a saved payment method).",
    )
