# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

#: The categories a French Factur-X may carry (BR-FR-15).
FACTURX_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O")


class AccountTax(models.Model):
    _inherit = "account.tax"

    facturx_vat_category = fields.Selection(
        [
            ("S", "Standard rate (S)"),
            ("Z", "Zero rated (Z)"),
            ("E", "Exempt (E)"),
            ("AE", "Reverse charge (AE)"),
            ("K", "Intra-community supply (K)"),
            ("G", "Export outside the EU (G)"),
            ("O", "Outside the scope of VAT (O)"),
        ],
        string="Factur-X VAT category",
        help="UNCL 5305 category written on Factur-X invoices (BT-151). Empty: "
        "standard rate when the tax has a rate, otherwise it must be chosen.",
    )
    facturx_exemption_reason = fields.Char(
        string="VAT exemption reason",
        translate=True,
        help="Legal reason of the exemption (BT-120), e.g. 'Exonération de TVA, "
        "article 262 ter I du CGI'. Required for categories E, AE, K, G and O.",
    )
    facturx_exemption_code = fields.Char(
        string="VATEX code",
        help="Exemption reason code (BT-121), e.g. VATEX-EU-IC, VATEX-EU-AE.",
    )

    def _facturx_category(self):
        """The UNCL 5305 category of this tax ('' when it must be chosen):
        ours, else the one Odoo's e-invoicing gives it (the French chart of
        accounts sets it on its taxes), else S for a positive rate."""
        self.ensure_one()
        if self.facturx_vat_category:
            return self.facturx_vat_category
        category = self.ubl_cii_tax_category_code
        if category in FACTURX_CATEGORIES:
            return category
        return "S" if self.amount > 0 else ""

    def _facturx_exemption(self):
        """(BT-120 reason, BT-121 VATEX code): ours, else the code Odoo's
        e-invoicing gives the tax."""
        self.ensure_one()
        code = self.facturx_exemption_code or self.ubl_cii_tax_exemption_reason_code
        return self.facturx_exemption_reason or "", code or ""
