# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..tools import facturx_validate
from .facturx_common import NS, FacturXCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestFacturXMapping(FacturXCommon):
    """account.move → Factur-X XML for the cases the PDF tests do not render:
    all XML of the class are validated in one worker batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 1.25)])
        cls.tax_intra_eu = cls.company_data["default_tax_sale"].copy(
            {
                "name": "Livraison intracommunautaire",
                "amount": 0.0,
                "facturx_vat_category": "K",
                "facturx_exemption_reason": "Exonération de TVA, article 262 ter I "
                "du CGI",
                "facturx_exemption_code": "VATEX-EU-IC",
            }
        )
        cls.belgian = cls.env["res.partner"].create(
            {
                "name": "Klant België NV",
                "is_company": True,
                "street": "Grote Markt 1",
                "zip": "1000",
                "city": "Bruxelles",
                "country_id": cls.env.ref("base.be").id,
                "vat": "BE0477472701",
                "email": "boekhouding@klant.example",
            }
        )
        cls.goods = cls._create_product(
            name="Routeur", type="consu", lst_price=250.0, taxes_id=[]
        )

    def _xml_root(self, move):
        xml = move._facturx_xml()
        return xml, etree.fromstring(xml)

    def test_mapping_of_the_french_cases(self):
        foreign = self._facturx_invoice(currency_id=self.usd.id)
        intra_eu = self._facturx_invoice(
            partner=self.belgian,
            lines=[
                {
                    "product_id": self.goods.id,
                    "quantity": 2,
                    "price_unit": 250.0,
                    "tax_ids": [Command.set(self.tax_intra_eu.ids)],
                }
            ],
            delivery_date="2026-03-10",
        )
        deposit = self._facturx_invoice()
        with patch.object(
            type(deposit), "_is_downpayment", lambda move: move == deposit
        ):
            deposit_xml, deposit_root = self._xml_root(deposit)
        foreign_xml, foreign_root = self._xml_root(foreign)
        intra_xml, intra_root = self._xml_root(intra_eu)
        reports = facturx_validate.validate_many([foreign_xml, intra_xml, deposit_xml])
        self.assertEqual([[f.message for f in r.errors] for r in reports], [[], [], []])

        # foreign currency: the VAT total again in EUR (BT-111)
        totals = foreign_root.xpath(
            ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount",
            namespaces=NS,
        )
        self.assertEqual(
            sorted((t.get("currencyID"), t.text) for t in totals),
            [("EUR", "48.00"), ("USD", "60.00")],
        )
        # intra-EU supply of goods: K, its reason, the buyer's VAT, B1, B2BINT
        self.assertEqual(
            intra_root.xpath(
                ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                "/ram:CategoryCode/text()",
                namespaces=NS,
            ),
            ["K"],
        )
        self.assertEqual(
            intra_root.findtext(
                "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocument"
                "ContextParameter/ram:ID",
                namespaces=NS,
            ),
            "B1",
        )
        self.assertIn(
            "BE0477472701",
            intra_root.xpath(
                ".//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID/text()",
                namespaces=NS,
            ),
        )
        # a down payment invoice is a deposit invoice (386)
        self.assertEqual(
            deposit_root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS),
            "386",
        )

    def test_directory_address_from_the_e_invoicing_settings(self):
        """BT-49 is the French directory address set on the customer (Odoo's
        e-invoicing address, scheme 0225), a SIREN with a routing suffix
        here; without one it is the SIREN."""
        self.customer.write({"peppol_eas": "0225", "peppol_endpoint": "552081317_FACT"})
        invoice = self._facturx_invoice()
        buyer = invoice._facturx_invoice().buyer
        self.assertEqual(
            (buyer.electronic_address, buyer.electronic_address_scheme),
            ("552081317_FACT", "0225"),
        )
        xml, root = self._xml_root(invoice)
        address = root.find(
            ".//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID",
            namespaces=NS,
        )
        self.assertEqual(
            (address.text, address.get("schemeID")), ("552081317_FACT", "0225")
        )
        [report] = facturx_validate.validate_many([xml])
        self.assertEqual([f.message for f in report.errors], [])
        # a directory address must start with the SIREN: refused at posting
        self.customer.peppol_endpoint = "443061841_FACT"
        draft = self._facturx_invoice(post=False)
        with self.assertRaisesRegex(UserError, "does not start with its SIREN"):
            draft.action_post()

    def test_subscription_lines_are_services(self):
        invoice = self._facturx_invoice(
            lines=[
                {
                    "product_id": self.service.id,
                    "quantity": 1,
                    "price_unit": 100.0,
                    "tax_ids": [Command.set(self.tax_20.ids)],
                    "service_start_date": "2026-03-01",
                    "service_end_date": "2026-03-31",
                },
                {
                    "product_id": self.service.id,
                    "quantity": 1,
                    "price_unit": -20.0,
                    "tax_ids": [Command.set(self.tax_20.ids)],
                },
            ]
        )
        model = invoice._facturx_invoice()
        self.assertEqual(
            [line.nature for line in model.lines], ["subscription", "services"]
        )
        # a negative price becomes a negative quantity (BR-27)
        self.assertEqual(model.lines[1].quantity, -1)
        self.assertEqual(model.lines[1].unit_price, 20)
        self.assertEqual((model.period_start.day, model.period_end.day), (1, 31))
        self.assertEqual(model.bar_treatment, "B2B")
        self.assertEqual(model.buyer.electronic_address, "552081317")
