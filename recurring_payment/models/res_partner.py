# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    recurring_payment_token_id = fields.Many2one(
        "payment.token",
        string="Default payment method for contracts",
        company_dependent=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
        help="New contracts of this customer are paid automatically with this "
        "saved payment method.",
    )
