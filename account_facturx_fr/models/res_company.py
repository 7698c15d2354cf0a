# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    facturx_enabled = fields.Boolean(
        string="Factur-X",
        help="Customer invoices and credit notes are issued as Factur-X EN 16931 "
        "PDF/A-3 (French 2026 e-invoicing rules), checked before posting, "
        "validated offline and archived with a hash chain.",
    )
