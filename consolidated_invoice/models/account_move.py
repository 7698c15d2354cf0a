# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    buyer_reference = fields.Char(
        copy=False,
        help="Reference the buyer asked for on its invoices (EN 16931 BT-10; "
        "the service code on Chorus Pro).",
    )
    purchase_order_ref = fields.Char(
        string="Purchase order",
        copy=False,
        help="The buyer's purchase order reference (EN 16931 BT-13).",
    )
