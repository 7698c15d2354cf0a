# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Invoices written the way French companies write them are issued as valid
Factur-X whose figures are the invoice's own, to the cent, whether the
company rounds VAT per line or globally."""

from decimal import Decimal

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged

from ..tools import facturx_pdf, facturx_validate
from .facturx_common import NS, FacturXCommon

SUMMATION = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestFacturXAmounts(FacturXCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("product.decimal_price").digits = 4
        cls.tax_10 = cls.tax_20.copy({"name": "TVA 10 %", "amount": 10.0})
        cls.tax_20_included = cls.tax_20.copy(
            {"name": "TVA 20 % TTC", "price_include_override": "tax_included"}
        )

    def _lines(self):
        """Many small lines whose VAT rounds differently per line and
        globally, 4-decimal prices with percentage discounts, a price
        including VAT, a training and a deduction on it (exempt)."""
        small = [
            {
                "name": f"Appel {n}",
                "quantity": 1,
                "price_unit": 0.12,
                "tax_ids": [Command.set(self.tax_20.ids)],
            }
            for n in range(25)
        ]
        return [
            *small,
            {
                "product_id": self.service.id,
                "quantity": 3,
                "price_unit": 12.3457,
                "discount": 12.5,
                "tax_ids": [Command.set(self.tax_20.ids)],
            },
            {
                "name": "Maintenance",
                "quantity": 1.5,
                "price_unit": 99.9999,
                "discount": 7.33,
                "tax_ids": [Command.set(self.tax_10.ids)],
            },
            {
                "name": "Licence (prix TTC)",
                "quantity": 2,
                "price_unit": 21.53,
                "tax_ids": [Command.set(self.tax_20_included.ids)],
            },
            {
                "name": "Formation",
                "quantity": 1,
                "price_unit": 400.0,
                "tax_ids": [Command.set(self.tax_exempt.ids)],
            },
            {
                "name": "Remise sur la formation",
                "quantity": -1,
                "price_unit": 40.004,
                "tax_ids": [Command.set(self.tax_exempt.ids)],
            },
        ]

    def _check_amounts(self, move):
        check = facturx_pdf.check_pdf(move.invoice_pdf_report_id.raw)
        self.assertEqual(check.problems, [])
        report = facturx_validate.validate(check.xml)
        self.assertEqual([f.message for f in report.errors], [])
        self.assertNotIn(b">-0.00<", check.xml)
        root = etree.fromstring(check.xml)

        def amount(path):
            return Decimal(root.findtext(path, namespaces=NS))

        self.assertEqual(
            amount(SUMMATION + "TaxBasisTotalAmount"),
            Decimal(str(move.amount_untaxed)).quantize(Decimal("0.01")),
        )
        self.assertEqual(
            amount(SUMMATION + "TaxTotalAmount"),
            Decimal(str(move.amount_tax)).quantize(Decimal("0.01")),
        )
        self.assertEqual(
            amount(SUMMATION + "GrandTotalAmount"),
            Decimal(str(move.amount_total)).quantize(Decimal("0.01")),
        )
        line_totals = root.xpath(
            ".//ram:SpecifiedTradeSettlementLineMonetarySummation"
            "/ram:LineTotalAmount/text()",
            namespaces=NS,
        )
        subtotals = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ).mapped("price_subtotal")
        self.assertEqual(
            [Decimal(t) for t in line_totals],
            [Decimal(str(s)).quantize(Decimal("0.01")) for s in subtotals],
        )
        return root

    def test_both_rounding_methods_issue_the_invoice_figures(self):
        company = self.env.company
        moves = self.env["account.move"]
        for method in ("round_per_line", "round_globally"):
            company.tax_calculation_rounding_method = method
            moves |= self._facturx_invoice(lines=self._lines())
        per_line, globally = moves
        self.assertNotEqual(
            per_line.amount_tax, globally.amount_tax, "the methods differ here"
        )
        self._issue(moves)
        for move in moves:
            root = self._check_amounts(move)
            # the 4-decimal price with 12.5 % off: 3 × 12.3457 × 0.875
            line = root.xpath(".//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)[
                25
            ]
            self.assertEqual(
                line.findtext(
                    ".//ram:SpecifiedTradeSettlementLineMonetarySummation"
                    "/ram:LineTotalAmount",
                    namespaces=NS,
                ),
                "32.41",
            )
            exempt = root.xpath(
                ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                "[ram:CategoryCode='E']/ram:CalculatedAmount/text()",
                namespaces=NS,
            )
            self.assertEqual(exempt, ["0.00"])

    def test_credit_note_of_a_discounted_invoice(self):
        self.env.company.tax_calculation_rounding_method = "round_per_line"
        invoice = self._facturx_invoice(lines=self._lines())
        credit_note = invoice._reverse_moves(
            [{"invoice_date": "2026-03-15", "ref": "Avoir"}]
        )
        credit_note.action_post()
        self._issue(credit_note)
        root = self._check_amounts(credit_note)
        self.assertEqual(
            root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS), "381"
        )
