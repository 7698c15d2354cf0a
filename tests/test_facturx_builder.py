"""account_facturx_fr/tools: Factur-X amounts, checks and CII D22B builder.

No schematron here (see test_facturx_validation.py): the amounts are checked
against hand computations and against the EN 16931 calculation rules
(BR-CO-10 to BR-CO-17) re-evaluated on the XML written, and the XML is read
back with XPath for every French business term.
"""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import facturx_scenarios as sc
import pytest
from account_facturx_fr_tools import facturx_amounts, facturx_builder
from account_facturx_fr_tools.exceptions import FacturXDataError
from account_facturx_fr_tools.facturx_model import (
    GOODS,
    SERVICES,
    SUBSCRIPTION,
    AllowanceCharge,
    ExpectedTotals,
    Line,
    Party,
    PaymentTerms,
    PrecedingInvoice,
    Tax,
    billing_framework,
    legal_notes,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

D = Decimal
ZERO = Decimal("0")
NS = {
    "rsm": facturx_builder.NS_RSM,
    "ram": facturx_builder.NS_RAM,
    "udt": facturx_builder.NS_UDT,
    "qdt": facturx_builder.NS_QDT,
}
SETTLEMENT = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
SETTLEMENT += "ram:ApplicableHeaderTradeSettlement"
SUMMATION = SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
SELLER = "//ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
BUYER = "//ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"


def parse(invoice, profile="en16931"):
    return etree.fromstring(facturx_builder.build_xml(invoice, profile))


def xp(root, path):
    return root.xpath(path, namespaces=NS)


def text(root, path):
    found = xp(root, path)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0] if isinstance(found[0], str) else found[0].text


# ----------------------------------------------------------------------
# Formatting
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, amount, price, quantity, rate",
    [
        (D("20"), "20.00", "20.00", "20", "20"),
        (D("5.5"), "5.50", "5.50", "5.5", "5.5"),
        (D("0.125"), "0.13", "0.125", "0.125", "0.125"),
        (D("-1.005"), "-1.01", "-1.005", "-1.005", "-1.005"),
        (D("0"), "0.00", "0.00", "0", "0"),
        (D("1E+2"), "100.00", "100.00", "100", "100"),
        (D("0.012345"), "0.01", "0.012345", "0.012345", "0.012345"),
    ],
)
def test_number_formats(value, amount, price, quantity, rate):
    assert facturx_builder.fmt_amount(value) == amount
    assert facturx_builder.fmt_price(value) == price
    assert facturx_builder.fmt_quantity(value) == quantity
    assert facturx_builder.fmt_rate(value) == rate


def test_amounts_round_half_up_away_from_zero():
    assert facturx_amounts.round_amount(D("2.675")) == D("2.68")
    assert facturx_amounts.round_amount(D("-2.675")) == D("-2.68")
    assert facturx_amounts.round_amount(0.1 + 0.2) == D("0.30")
    assert facturx_amounts.decimals(D("1.50")) == 1


# ----------------------------------------------------------------------
# BT-23 and legal notes
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "natures, options, expected",
    [
        ([GOODS], {}, "B1"),
        ([SERVICES], {}, "S1"),
        ([SUBSCRIPTION], {}, "S1"),
        ([SUBSCRIPTION, SERVICES], {}, "S1"),
        ([GOODS, SUBSCRIPTION], {}, "M1"),
        ([SERVICES], {"already_paid": True}, "S2"),
        ([GOODS, SERVICES], {"already_paid": True}, "M2"),
        ([GOODS], {"final_after_deposit": True}, "B4"),
        ([SUBSCRIPTION], {"final_after_deposit": True}, "S4"),
        ([GOODS], {"type_code": "386"}, "B1"),
    ],
)
def test_billing_framework(natures, options, expected):
    assert billing_framework(natures, **options) == expected


@pytest.mark.parametrize(
    "natures, options, message",
    [
        ([], {}, "at least one line"),
        (["rental"], {}, "Unknown line nature"),
        ([GOODS], {"type_code": "386", "final_after_deposit": True}, "BR-FR-CO-08"),
        ([GOODS], {"already_paid": True, "final_after_deposit": True}, "x4"),
    ],
)
def test_billing_framework_refuses(natures, options, message):
    with pytest.raises(FacturXDataError, match=message):
        billing_framework(natures, **options)


def test_legal_notes_from_the_company_setting():
    notes = legal_notes(D("12.15"), penalty_rate_basis="BCE + 10 points")
    assert "40 €" in notes.recovery_indemnity
    assert "12,15 %" in notes.late_penalties
    assert "BCE + 10 points" in notes.late_penalties
    assert notes.early_payment_discount == "Pas d'escompte pour paiement anticipé."
    discount = legal_notes(D("10"), early_payment_discount="Escompte 1 % à 8 jours")
    assert discount.early_payment_discount == "Escompte 1 % à 8 jours"
    assert "10 %" in discount.late_penalties


# ----------------------------------------------------------------------
# Amounts
# ----------------------------------------------------------------------


def test_amounts_that_round_by_hand():
    computed = facturx_amounts.compute(sc.amounts_that_round())
    assert [a.net_amount for a in computed.lines] == [
        D("15.24"),  # 1234.5 × 0.012345 = 15.2399025
        D("14.95"),  # 333 × 0.0449 = 14.9517
        D("4.23"),  # 2.125 × 1.99 = 4.22875, half up
        D("0.15"),  # 0.3333 × 0.455 = 0.15165
        D("1.01"),  # 3 × 0.335 = 1.005, half up
    ]
    breakdown = {(b.category, b.rate): (b.basis, b.tax) for b in computed.breakdown}
    assert breakdown == {
        ("S", D("20")): (D("34.42"), D("6.88")),  # 6.884
        ("S", D("10")): (D("0.15"), D("0.02")),  # 0.015, half up
        ("S", D("5.5")): (D("1.01"), D("0.06")),  # 0.05555
    }
    assert [b.rate for b in computed.breakdown] == [D("20"), D("10"), D("5.5")]


def test_discounts_and_allowances_by_hand():
    computed = facturx_amounts.compute(sc.several_rates_with_discounts())
    chair, books, press, meals = computed.lines
    assert (chair.gross_price, chair.price_discount) == (D("249.90"), D("37.4850"))
    assert chair.net_price == D("212.4150")
    assert chair.net_amount == D("637.25")  # 3 × 212.415 = 637.245
    assert books.gross_amount == D("195.00")
    assert books.allowances_charges[0].amount == D("9.75")
    assert books.allowances_charges[0].base_amount == D("195.00")
    assert books.net_amount == D("185.25")
    assert press.net_amount == D("120.00")
    assert meals.net_amount == D("345.00")  # 330 + 15 service
    discount, shipping = computed.allowances_charges
    assert discount.base_amount == D("637.25")  # the lines at 20 % only
    assert discount.amount == D("12.75")  # 12.745
    assert shipping.amount == D("25.00")
    totals = computed.totals
    assert totals.line_total == D("1287.50")
    assert (totals.allowance_total, totals.charge_total) == (D("12.75"), D("25.00"))
    assert totals.tax_basis_total == D("1299.75")
    by_rate = {b.rate: (b.basis, b.tax) for b in computed.breakdown}
    assert by_rate[D("20")] == (D("649.50"), D("129.90"))
    assert by_rate[D("5.5")] == (D("185.25"), D("10.19"))  # 10.18875
    assert by_rate[D("2.1")] == (D("120.00"), D("2.52"))
    assert by_rate[D("10")] == (D("345.00"), D("34.50"))
    assert totals.tax_total == D("177.11")
    assert totals.grand_total == totals.due == D("1476.86")


def test_foreign_currency_vat_total_in_eur():
    computed = facturx_amounts.compute(sc.foreign_currency())
    assert computed.totals.tax_total == D("400.00")
    assert computed.totals.tax_total_eur == D("369.21")  # 400 / 1.0834
    given_eur = replace(sc.foreign_currency(), tax_total_eur=D("369.20"), eur_rate=None)
    assert facturx_amounts.compute(given_eur).totals.tax_total_eur == D("369.20")
    assert facturx_amounts.compute(sc.goods_b1()).totals.tax_total_eur is None


def test_already_paid_means_prepaid_total_and_nothing_due():
    totals = facturx_amounts.compute(sc.already_paid_s2()).totals
    assert totals.prepaid == totals.grand_total == D("238.80")
    assert totals.due == 0


def test_final_invoice_deducts_the_deposit_with_its_vat():
    computed = facturx_amounts.compute(sc.final_after_deposit())
    assert computed.billing_framework == "B4"
    assert computed.lines[1].net_amount == D("-900.00")
    assert computed.totals.tax_total == D("420.00")  # 20 % of 3000 - 900


def test_expected_totals_are_cross_checked():
    invoice = replace(sc.goods_b1(), expected=ExpectedTotals(tax=D("45.39")))
    with pytest.raises(FacturXDataError, match=r"VAT total \(BT-110\) 45.39"):
        facturx_amounts.compute(invoice)


def test_conflicting_exemption_reasons_in_one_category():
    other = Tax("E", D("0"), "Exonération, article 261 C du CGI")
    invoice = sc.exempt_line()
    invoice = replace(
        invoice, lines=(*invoice.lines, Line("Autre", D("1"), D("5"), other))
    )
    with pytest.raises(FacturXDataError, match="conflicting exemption reasons"):
        facturx_amounts.compute(invoice)


# ----------------------------------------------------------------------
# Checks before building
# ----------------------------------------------------------------------


def _problems(**changes):
    return "\n".join(facturx_amounts.check_invoice(replace(sc.goods_b1(), **changes)))


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"number": "FAC 2026 1"}, "BR-FR-01/02"),
        ({"number": "F" * 36}, "BR-FR-01/02"),
        ({"type_code": "325"}, "BR-FR-04"),
        ({"billing_framework": "X1"}, "BR-FR-08"),
        ({"legal_notes": None}, "BR-FR-05"),
        ({"seller": replace(sc.SELLER, siren="12345")}, "must be 9 digits"),
        ({"seller": replace(sc.SELLER, siren="", siret="")}, "BR-FR-10"),
        ({"seller": replace(sc.SELLER, siret="99999999900010")}, "BR-FR-09"),
        ({"seller": replace(sc.SELLER, electronic_address="")}, "BT-34"),
        ({"seller": replace(sc.SELLER, electronic_address="a@b")}, "BR-FR-23"),
        ({"buyer": replace(sc.BUYER, siren="", siret="")}, "BR-FR-11"),
        ({"buyer": replace(sc.BUYER, electronic_address="999_X")}, "BR-FR-21"),
        ({"bar_treatment": "B2G"}, "BR-FR-20"),
        ({"type_code": "381"}, "BR-FR-CO-05"),
        (
            {
                "type_code": "384",
                "preceding_invoices": (
                    PrecedingInvoice("A-1", date(2026, 1, 1)),
                    PrecedingInvoice("A-2", date(2026, 1, 2)),
                ),
            },
            "BR-FR-CO-04",
        ),
        ({"vat_on_debits": True, "tax_point_date": date(2026, 9, 1)}, "BR-CO-03"),
        ({"currency": "USD"}, "BR-FR-CO-12"),
        ({"payment_terms": PaymentTerms(due_date=date(2026, 9, 1))}, "BR-FR-CO-07"),
        ({"already_paid": True, "payment_terms": None}, "BR-FR-CO-09"),
        ({"period_start": date(2026, 9, 30), "period_end": date(2026, 9, 1)}, "BR-29"),
        ({"final_after_deposit": True}, "reference the deposit"),
        ({"lines": ()}, "at least one line"),
    ],
)
def test_check_invoice_names_the_rule(changes, fragment):
    assert fragment in _problems(**changes)


@pytest.mark.parametrize(
    "line, fragment",
    [
        (Line("x", D("1.00001"), D("1")), "4 decimals"),
        (Line("x", D("1"), D("-5")), "BR-27"),
        (Line("x", D("1"), D("3"), discount_percent=D("100.5")), "BR-27"),
        (Line("x", D("1"), D("1"), Tax("S", D("19"))), "BR-FR-16"),
        (Line("x", D("1"), D("1"), Tax("L", D("7"))), "BR-FR-15"),
        (Line("x", D("1"), D("1"), Tax("E", D("0"))), "exemption reason"),
        (Line("x", D("1"), D("1"), Tax("AE", D("20"), "Autoliquidation")), "0 rate"),
        (Line("x", D("1"), D("1"), nature="rental"), "unknown nature"),
        (Line("", D("1"), D("1")), "BT-153"),
        (
            Line(
                "x",
                D("1"),
                D("1"),
                allowances_charges=(AllowanceCharge(amount=D("1")),),
            ),
            "reason",
        ),
        (
            Line(
                "x",
                D("1"),
                D("1"),
                period_start=date(2026, 9, 2),
                period_end=date(2026, 9, 1),
            ),
            "BR-30",
        ),
    ],
)
def test_check_invoice_lines(line, fragment):
    assert fragment in _problems(lines=(line,))


def test_check_invoice_intra_community_needs_vat_ids_and_delivery():
    invoice = sc.intra_eu_reverse_charge()
    assert facturx_amounts.check_invoice(invoice) == []
    problems = "\n".join(
        facturx_amounts.check_invoice(
            replace(invoice, buyer=replace(sc.BUYER_DE, vat_id=""), delivery=None)
        )
    )
    assert "BR-AE-02 / BR-IC-02" in problems
    assert "BR-IC-11" in problems


def test_build_refuses_bad_data_unless_unchecked():
    invoice = replace(sc.goods_b1(), legal_notes=None)
    with pytest.raises(FacturXDataError, match="BR-FR-05") as caught:
        facturx_builder.build_xml(invoice)
    assert caught.value.problems == [
        "The PMT, PMD and AAB notes are mandatory (BR-FR-05)"
    ]
    root = etree.fromstring(facturx_builder.build_xml(invoice, check=False))
    assert xp(root, "//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode") != []
    with pytest.raises(FacturXDataError, match="Unknown profile"):
        facturx_builder.build_xml(sc.goods_b1(), "basic")


# ----------------------------------------------------------------------
# The XML, business term by business term
# ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(sc.SCENARIOS))
def test_every_scenario_builds_with_its_framework_and_notes(name):
    factory, profile = sc.SCENARIOS[name]
    root = parse(factory(), profile)
    context = "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/"
    assert (
        text(
            root,
            context + "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
        )
        == (sc.FRAMEWORKS[name])
    )
    guideline = text(
        root, context + "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
    )
    assert guideline.startswith("urn:cen.eu:en16931:2017")
    assert guideline.endswith("extended") == (profile == "extended")
    codes = xp(root, "//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode/text()")
    for code in ("PMT", "PMD", "AAB"):
        assert codes.count(code) == 1
    assert text(
        root, SELLER + "/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']"
    ) == ("123456782")
    assert text(root, SELLER + "/ram:GlobalID[@schemeID='0009']") == "12345678200010"
    assert (
        text(root, SELLER + "/ram:URIUniversalCommunication/ram:URIID/@schemeID")
        == "0225"
    )
    assert xp(root, BUYER + "/ram:URIUniversalCommunication/ram:URIID")


def test_buyer_siren_and_electronic_address():
    root = parse(sc.goods_b1())
    assert text(
        root, BUYER + "/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']"
    ) == ("552081317")
    assert text(
        root, BUYER + "/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']"
    ) == ("552081317_ACHATS")
    foreign = parse(sc.intra_eu_reverse_charge())
    assert (
        text(foreign, BUYER + "/ram:SpecifiedLegalOrganization/ram:ID") == "HRB 123456"
    )
    assert (
        text(foreign, BUYER + "/ram:URIUniversalCommunication/ram:URIID/@schemeID")
        == "EM"
    )
    assert text(
        foreign, BUYER + "/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"
    ) == ("DE123456789")


def test_invoice_and_line_periods():
    root = parse(sc.subscription_periods())
    period = SETTLEMENT + "/ram:BillingSpecifiedPeriod/"
    assert text(root, period + "ram:StartDateTime/udt:DateTimeString") == "20260901"
    assert text(root, period + "ram:EndDateTime/udt:DateTimeString") == "20260930"
    starts = xp(
        root,
        "//ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/"
        "ram:StartDateTime/udt:DateTimeString/text()",
    )
    assert starts == ["20260901", "20260916"]
    assert xp(root, "//udt:DateTimeString[@format!='102']") == []
    assert (
        text(root, "//ram:ContractReferencedDocument/ram:IssuerAssignedID") == "CT-0042"
    )
    assert text(root, "//ram:DirectDebitMandateID") == "MANDAT-0042"
    assert text(root, SETTLEMENT + "/ram:CreditorReferenceID") == "FR12ZZZ123456"
    assert text(root, "//ram:PayerPartyDebtorFinancialAccount/ram:IBANID").startswith(
        "FR76"
    )


def test_delivery_address_only_when_different():
    assert xp(
        parse(sc.goods_b1()),
        "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CityName",
    )
    same = replace(
        sc.goods_b1(),
        delivery=replace(sc.goods_b1().delivery, address=sc.BUYER.address),
    )
    root = parse(same)
    assert xp(root, "//ram:ShipToTradeParty") == []
    assert (
        text(root, "//ram:ActualDeliverySupplyChainEvent//udt:DateTimeString")
        == "20260912"
    )
    # an intra-community supply always names the country of arrival (BR-IC-12)
    intra = parse(sc.intra_eu_reverse_charge())
    assert (
        text(intra, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")
        == "DE"
    )


def test_credit_note_references_the_invoice():
    root = parse(sc.credit_note())
    assert text(root, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    reference = SETTLEMENT + "/ram:InvoiceReferencedDocument/"
    assert text(root, reference + "ram:IssuerAssignedID") == "FAC-2026-0002"
    assert (
        text(root, reference + "ram:FormattedIssueDateTime/qdt:DateTimeString")
        == "20260915"
    )
    assert xp(root, reference + "ram:TypeCode") == []  # not in the EN 16931 XSD
    extended = parse(sc.credit_note(), "extended")
    assert text(extended, reference + "ram:TypeCode") == "380"


def test_deposit_then_final_invoice():
    deposit = parse(sc.deposit_386())
    assert text(deposit, "//rsm:ExchangedDocument/ram:TypeCode") == "386"
    final = parse(sc.final_after_deposit())
    assert (
        text(final, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")
        == "B4"
    )
    reference = SETTLEMENT + "/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
    assert text(final, reference) == "ACP-2026-0001"
    assert xp(final, "//ram:BilledQuantity/text()") == ["2", "-1"]
    assert xp(final, "//ram:NetPriceProductTradePrice/ram:ChargeAmount/text()") == [
        "1500.00",
        "900.00",
    ]


def test_vat_on_debits_only_when_opted():
    services = parse(sc.services_s1())
    assert xp(
        services, SETTLEMENT + "/ram:ApplicableTradeTax/ram:DueDateTypeCode/text()"
    ) == ["5"]
    assert xp(services, "//ram:SpecifiedLineTradeSettlement//ram:DueDateTypeCode") == []
    assert xp(parse(sc.goods_b1()), "//ram:DueDateTypeCode") == []
    point = parse(replace(sc.goods_b1(), tax_point_date=date(2026, 9, 12)))
    assert text(point, "//ram:TaxPointDate/udt:DateString") == "20260912"


def test_foreign_currency_xml():
    root = parse(sc.foreign_currency())
    assert text(root, SETTLEMENT + "/ram:InvoiceCurrencyCode") == "USD"
    assert text(root, SETTLEMENT + "/ram:TaxCurrencyCode") == "EUR"
    assert text(root, SUMMATION + "/ram:TaxTotalAmount[@currencyID='USD']") == "400.00"
    assert text(root, SUMMATION + "/ram:TaxTotalAmount[@currencyID='EUR']") == "369.21"


def test_exemption_reasons_in_the_breakdown():
    root = parse(sc.intra_eu_reverse_charge())
    tax = SETTLEMENT + "/ram:ApplicableTradeTax"
    assert (
        text(root, tax + "[ram:CategoryCode='AE']/ram:ExemptionReasonCode")
        == "VATEX-EU-AE"
    )
    assert (
        text(root, tax + "[ram:CategoryCode='AE']/ram:ExemptionReason")
        == "Autoliquidation"
    )
    assert (
        text(root, tax + "[ram:CategoryCode='K']/ram:ExemptionReasonCode")
        == "VATEX-EU-IC"
    )
    assert text(root, tax + "[ram:CategoryCode='K']/ram:CalculatedAmount") == "0.00"
    exempt = parse(sc.exempt_line())
    assert "261-4-4°" in text(
        exempt, tax + "[ram:CategoryCode='E']/ram:ExemptionReason"
    )
    assert xp(exempt, tax + "[ram:CategoryCode='S']/ram:ExemptionReason") == []
    line_tax = "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
    assert xp(exempt, line_tax + "/ram:ExemptionReasonCode") == []
    extended = parse(sc.exempt_line(), "extended")  # EXTENDED repeats it per line
    assert xp(extended, line_tax + "/ram:ExemptionReasonCode/text()") == [
        "VATEX-FR-CGI261-4"
    ]


def test_not_subject_to_vat_has_no_rate():
    outside = Tax("O", D("0"), "Hors champ d'application de la TVA", "VATEX-EU-O")
    invoice = replace(
        sc.services_s1(),
        lines=(Line("Débours", D("1"), D("80"), outside),),
        vat_on_debits=False,
    )
    root = parse(invoice)
    assert (
        xp(
            root,
            "//ram:ApplicableTradeTax[ram:CategoryCode='O']/ram:RateApplicablePercent",
        )
        == []
    )
    assert text(root, SUMMATION + "/ram:TaxTotalAmount") == "0.00"


def test_allowances_and_charges_xml():
    root = parse(sc.several_rates_with_discounts())
    gross = "//ram:GrossPriceProductTradePrice"
    assert text(root, gross + "/ram:ChargeAmount") == "249.90"
    assert (
        text(root, gross + "/ram:AppliedTradeAllowanceCharge/ram:ActualAmount")
        == "37.485"
    )
    assert (
        xp(root, "//ram:NetPriceProductTradePrice/ram:ChargeAmount/text()")[0]
        == "212.415"
    )
    document = SETTLEMENT + "/ram:SpecifiedTradeAllowanceCharge"
    assert xp(root, document + "/ram:ChargeIndicator/udt:Indicator/text()") == [
        "false",
        "true",
    ]
    assert xp(root, document + "/ram:CategoryTradeTax/ram:CategoryCode/text()") == [
        "S",
        "S",
    ]
    assert text(root, SUMMATION + "/ram:AllowanceTotalAmount") == "12.75"
    assert text(root, SUMMATION + "/ram:ChargeTotalAmount") == "25.00"
    line = "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    assert xp(root, line + "/ram:Reason/text()") == [
        "Remise fidélité",
        "Service en salle",
    ]
    assert xp(root, line + "/ram:CategoryTradeTax") == []


def test_unicode_and_long_names_survive():
    invoice = sc.unicode_long_names()
    xml = facturx_builder.build_xml(invoice)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(xml)
    assert xp(root, "//ram:SpecifiedTradeProduct/ram:Name/text()")[0] == sc.LONG_NAME
    assert len(sc.LONG_NAME) > 1000
    assert text(root, BUYER + "/ram:Name") == invoice.buyer.name
    assert "🚀".encode() in xml and b"&lt;tag&gt;" in xml


# ----------------------------------------------------------------------
# Calculation rules re-evaluated on the XML
# ----------------------------------------------------------------------


def assert_calculation_rules(root):
    """BR-CO-10/11/12/13/14/15/16/17 and 2-decimal amounts, as EN 16931 states them."""

    def amount(path):
        values = [D(v) for v in xp(root, path + "/text()")]
        for value in values:
            assert -value.as_tuple().exponent == 2, f"{path}: {value}"
        return values

    def one(path, default=ZERO):
        values = amount(path)
        return values[0] if values else default

    lines = amount(
        "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
    )
    document = SETTLEMENT + "/ram:SpecifiedTradeAllowanceCharge"
    allowances = amount(
        document + "[ram:ChargeIndicator/udt:Indicator='false']/ram:ActualAmount"
    )
    charges = amount(
        document + "[ram:ChargeIndicator/udt:Indicator='true']/ram:ActualAmount"
    )
    line_total = one(SUMMATION + "/ram:LineTotalAmount")
    assert line_total == sum(lines)  # BR-CO-10
    assert one(SUMMATION + "/ram:AllowanceTotalAmount") == sum(allowances)  # BR-CO-11
    assert one(SUMMATION + "/ram:ChargeTotalAmount") == sum(charges)  # BR-CO-12
    basis_total = one(SUMMATION + "/ram:TaxBasisTotalAmount")
    assert basis_total == line_total - sum(allowances) + sum(charges)  # BR-CO-13
    currency = text(root, SETTLEMENT + "/ram:InvoiceCurrencyCode")
    tax_total = one(SUMMATION + f"/ram:TaxTotalAmount[@currencyID='{currency}']")
    breakdowns = xp(root, SETTLEMENT + "/ram:ApplicableTradeTax")
    assert tax_total == sum(
        D(b.findtext("ram:CalculatedAmount", namespaces=NS)) for b in breakdowns
    )
    grand_total = one(SUMMATION + "/ram:GrandTotalAmount")
    assert grand_total == basis_total + tax_total  # BR-CO-15
    due = one(SUMMATION + "/ram:DuePayableAmount")
    prepaid = one(SUMMATION + "/ram:TotalPrepaidAmount")
    assert due == grand_total - prepaid + one(
        SUMMATION + "/ram:RoundingAmount"
    )  # BR-CO-16
    for breakdown in breakdowns:  # BR-S-08 and friends, BR-CO-17
        category = breakdown.findtext("ram:CategoryCode", namespaces=NS)
        rate = D(breakdown.findtext("ram:RateApplicablePercent", "0", namespaces=NS))
        same = (
            f"[ram:CategoryCode='{category}'"
            f" and number(ram:RateApplicablePercent)={rate}]"
        )
        line_sum = sum(
            D(v)
            for v in xp(
                root,
                f"//ram:SpecifiedLineTradeSettlement[ram:ApplicableTradeTax{same}]"
                "/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()",
            )
        )
        for indicator, sign in (("true", 1), ("false", -1)):
            line_sum += sign * sum(
                D(v)
                for v in xp(
                    root,
                    f"{document}[ram:ChargeIndicator/udt:Indicator='{indicator}']"
                    f"[ram:CategoryTradeTax{same}]/ram:ActualAmount/text()",
                )
            )
        basis = D(breakdown.findtext("ram:BasisAmount", namespaces=NS))
        assert basis == line_sum
        expected_tax = (basis * rate / 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert (
            D(breakdown.findtext("ram:CalculatedAmount", namespaces=NS)) == expected_tax
        )


@pytest.mark.parametrize("name", sorted(sc.SCENARIOS))
def test_scenarios_satisfy_the_calculation_rules(name):
    factory, profile = sc.SCENARIOS[name]
    assert_calculation_rules(parse(factory(), profile))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_random_invoices_satisfy_the_calculation_rules(seed):
    invoice = sc.random_invoice(seed)
    assert facturx_amounts.check_invoice(invoice) == []
    assert_calculation_rules(parse(invoice))


_money = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False)
_quantity = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            _quantity,
            _money,
            st.sampled_from(sorted(facturx_amounts.FR_VAT_RATES - {D(0)})),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_vat_is_rounded_once_per_rate(rows):
    lines = tuple(Line(f"L{i}", q, p, Tax("S", r)) for i, (q, p, r) in enumerate(rows))
    computed = facturx_amounts.compute(replace(sc.services_s1(), lines=lines))
    for breakdown in computed.breakdown:
        bases = [
            a.net_amount for a in computed.lines if a.line.tax.rate == breakdown.rate
        ]
        assert breakdown.basis == sum(bases)
        exact = breakdown.basis * breakdown.rate / 100
        assert abs(breakdown.tax - exact) <= D("0.005")
    assert computed.totals.grand_total == (
        computed.totals.tax_basis_total + computed.totals.tax_total
    )


def test_party_defaults_suit_french_companies():
    party = Party("X", sc.SELLER.address)
    assert party.electronic_address_scheme == "0225"
    assert billing_framework([line.nature for line in sc.mixed_m1().lines]) == "M1"


def test_characters_xml_cannot_hold_are_dropped():
    assert (
        facturx_builder.xml_text("a\x00b\x0bc\td\ne\ud800f\ufffeg🚀") == "abc\td\nefg🚀"
    )
    line = Line("Ligne\x0ccopiée\x00 d'un tableur", D("1"), D("10"))
    root = parse(replace(sc.services_s1(), lines=(line,)))
    assert (
        text(root, "//ram:SpecifiedTradeProduct/ram:Name") == "Lignecopiée d'un tableur"
    )
