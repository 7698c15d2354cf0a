# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    consolidation_policy_id = fields.Many2one(
        "consolidation.policy",
        string="Default consolidation policy",
        help="Bill runs consolidate the invoices of customers that have no "
        "policy of their own with this one. Empty: one invoice per contract.",
    )
    facturx_enabled = fields.Boolean(
        string="Factur-X",
        help="Customer invoices and credit notes are issued as Factur-X EN 16931 "
        "PDF/A-3 (French 2026 e-invoicing rules), checked before posting, "
        "validated offline and archived with a hash chain.",
    )
    facturx_vat_on_debits = fields.Boolean(
        string="VAT on debits",
        help="The company opted for paying VAT on debits (CGI art. 269-2-c): "
        "Factur-X invoices state it (BT-8).",
    )
