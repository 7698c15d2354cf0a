# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import nullcontext

from odoo.fields import Command
from odoo.tests import HttpCase
from odoo.tools import config

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

#: Namespaces of the CII XML.
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
}

#: Well-formed but fictitious identifiers (Luhn SIREN/SIRET, FR VAT keys).
SELLER_SIRET = "12345678200010"
BUYER_SIRET = "55208131700018"


class FacturXCommon(AccountTestInvoicingCommon):
    """A French company in euros set up for Factur-X, a French B2B customer,
    a 20 % VAT and a service product; invoices dated in H1 2026 (the seeded
    late-payment rates cover it)."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls.env.ref("base.EUR")
        eur.active = True
        kwargs.setdefault("currency_id", eur.id)
        return super().setup_independent_company(**kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the report assets from the test HTTP server
        cls.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        company = cls.env.company
        france = cls.env.ref("base.fr")
        cls.change_company_country(company, france)
        company.write(
            {
                "name": "Facturo Démo SAS",
                "street": "12 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "vat": "FR11123456782",
                "company_registry": SELLER_SIRET,
                "email": "factures@facturo.example",
                "tax_calculation_rounding_method": "round_globally",
                "facturx_enabled": True,
            }
        )
        cls.tax_20 = cls.company_data["default_tax_sale"].copy(
            {"name": "TVA collectée 20 %", "amount": 20.0}
        )
        cls.tax_exempt = cls.company_data["default_tax_sale"].copy(
            {
                "name": "Exonéré formation",
                "amount": 0.0,
                "facturx_vat_category": "E",
                "facturx_exemption_reason": "Exonération de TVA, article 261-4-4° a "
                "du CGI",
            }
        )
        cls.service = cls._create_product(
            name="Abonnement hébergement",
            type="service",
            lst_price=100.0,
            taxes_id=[Command.set(cls.tax_20.ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Client Exemple SARL",
                "is_company": True,
                "street": "5 avenue Jean Jaurès",
                "zip": "69007",
                "city": "Lyon",
                "country_id": france.id,
                "vat": "FR03552081317",
                "company_registry": BUYER_SIRET,
                "email": "compta@client.example",
            }
        )

    @classmethod
    def _facturx_invoice(cls, partner=None, lines=None, post=True, **values):
        lines = lines or [
            {
                "product_id": cls.service.id,
                "quantity": 3,
                "price_unit": 100.0,
                "tax_ids": [Command.set(cls.tax_20.ids)],
            }
        ]
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_date": "2026-03-15",
                "invoice_line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def _issue(self, moves):
        """Generate the invoice documents as Send & Print does, really
        rendering the PDF (Odoo renders HTML in tests otherwise)."""
        # an HttpCase serves wkhtmltopdf's requests already
        http = isinstance(self, HttpCase)
        with nullcontext() if http else self.allow_pdf_render():
            self.env["account.move.send"].with_context(
                force_report_rendering=True
            )._generate_and_send_invoices(moves, sending_methods=["manual"])
        return moves.invoice_pdf_report_id
