"""account_facturx_fr/tools: every invoice Odoo can post is a valid Factur-X.

Random but legal French invoices, described the way the Odoo layer describes
an ``account.move`` (``Line.net_amount`` = Odoo's line subtotal,
``Invoice.vat_amounts`` = its tax lines, ``Invoice.expected`` = its totals):
1 to 40 lines, 3-decimal quantities, 4-decimal prices, percentage discounts,
20 / 10 / 5.5 / 2.1 / 0 % with exemption reasons, reverse charge,
intra-community supplies, negative lines, credit notes with the preceding
invoice, unicode and 300-character names, EUR and foreign currencies, VAT
rounded per line or globally.

The issuer's figures come from ``issuer_figures``, an independent Decimal
computation (as Odoo computes: subtotal = quantity × price × (1 − discount),
rounded; VAT per line or per rate). Each invoice must build, its XML must
carry those figures to the cent with no ``-0.00``, and (in a smaller sample,
each through a validation worker) pass the XSD, the Factur-X EN 16931 and
the BR-FR schematrons with no error.
"""

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import facturx_scenarios as sc
import pytest
from account_facturx_fr_tools import (
    facturx_amounts,
    facturx_builder,
    facturx_validate,
)
from account_facturx_fr_tools.exceptions import FacturXDataError
from account_facturx_fr_tools.facturx_model import (
    CREDIT_NOTE,
    GOODS,
    INVOICE,
    SERVICES,
    SUBSCRIPTION,
    Delivery,
    ExpectedTotals,
    Line,
    PrecedingInvoice,
    StatedVat,
    Tax,
)
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree

D = Decimal
CENT = D("0.01")
NS = {"ram": facturx_builder.NS_RAM, "rsm": facturx_builder.NS_RSM}
ZERO_RATED = Tax("Z", D("0"))
FRENCH_TAXES = (
    sc.VAT_20,
    sc.VAT_10,
    sc.VAT_5_5,
    sc.VAT_2_1,
    sc.EXEMPT_TRAINING,
    ZERO_RATED,
)
EU_TAXES = (sc.REVERSE_CHARGE, sc.INTRA_EU_SUPPLY)
NEGATIVE_ZERO = re.compile(rb">-0(\.0+)?<")


def money(value: Decimal) -> Decimal:
    """The issuer's rounding: 2 decimals, half away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + 0


# ---------------------------------------------------------------------------
# The issuer (an independent computation, not the module's)
# ---------------------------------------------------------------------------


def subtotal(line: Line) -> Decimal:
    discount = line.discount_percent or D(0)
    return money(line.quantity * line.unit_price * (100 - discount) / 100)


def issuer_figures(lines, per_line: bool):
    """(subtotals, {(category, rate): (basis, tax)}) as the issuer rounds."""
    subtotals = [subtotal(line) for line in lines]
    vat: dict = {}
    for line, amount in zip(lines, subtotals, strict=True):
        key = (line.tax.category, line.tax.rate)
        basis, tax = vat.get(key, (D(0), D(0)))
        line_tax = money(amount * line.tax.rate / 100) if per_line else D(0)
        vat[key] = (basis + amount, tax + line_tax)
    if not per_line:
        vat = {
            key: (basis, money(basis * key[1] / 100)) for key, (basis, _) in vat.items()
        }
    return subtotals, vat


def issued(number, drawn, per_line, **values):
    """``drawn`` lines as the Odoo layer describes an invoice that holds them:
    each line's subtotal, the VAT per category and rate, the totals."""
    subtotals, vat = issuer_figures(drawn, per_line)
    untaxed = sum(subtotals, D(0))
    tax = sum((t for _, t in vat.values()), D(0))
    return sc._invoice(
        number,
        tuple(
            replace(li, net_amount=s) for li, s in zip(drawn, subtotals, strict=True)
        ),
        vat_amounts=tuple(StatedVat(c, r, b, t) for (c, r), (b, t) in vat.items()),
        expected=ExpectedTotals(untaxed, tax, untaxed + tax, untaxed + tax),
        **values,
    )


# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x7f"
    ),
    min_size=1,
    max_size=300,
).filter(str.strip)


def decimals(low, high, places):
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: D(n) / scale)


@st.composite
def lines(draw, taxes, position):
    quantity = draw(decimals(0, 1000, 3))
    if draw(st.booleans()) and draw(st.booleans()) and quantity:
        quantity = -quantity  # a deduction
    discount = D(0)
    if draw(st.booleans()):
        discount = draw(decimals(0, 100, 2))
    return Line(
        draw(names),
        quantity,
        draw(decimals(0, 10000, 4)),
        draw(st.sampled_from(taxes)),
        draw(st.sampled_from((GOODS, SERVICES, SUBSCRIPTION))),
        discount_percent=discount,
        line_id=str(position),
    )


@st.composite
def invoices(draw, max_lines=40):
    """(invoice, per_line) as the Odoo layer would describe it."""
    intra_eu = draw(st.booleans()) and draw(st.booleans())
    taxes = EU_TAXES if intra_eu else FRENCH_TAXES
    count = draw(st.integers(1, max_lines))
    drawn = tuple(draw(lines(taxes, n)) for n in range(1, count + 1))
    per_line = draw(st.booleans())
    _subtotals, vat = issuer_figures(drawn, per_line)
    assume(sum((b + t for b, t in vat.values()), D(0)) > 0)  # else a credit note
    credit_note = draw(st.booleans())
    currency = draw(st.sampled_from(("EUR", "EUR", "USD", "GBP", "CHF")))
    values = {
        "currency": currency,
        "type_code": CREDIT_NOTE if credit_note else INVOICE,
    }
    if currency != "EUR":
        values["eur_rate"] = draw(decimals(1, 2, 4))
    if credit_note:
        values["preceding_invoices"] = (PrecedingInvoice("FAC-2026-0100", sc.ISSUE),)
    if intra_eu:
        values.update(
            buyer=sc.BUYER_DE,
            bar_treatment="B2BINT",
            delivery=Delivery(sc.BUYER_DE.address, sc.ISSUE),
        )
    number = "AV-2026-0001" if credit_note else "FAC-2026-0001"
    return issued(number, drawn, per_line, **values), per_line


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _amount(root, path):
    return D(root.xpath(path, namespaces=NS)[0].text)


def check_figures(invoice, xml: bytes):
    """The XML states the issuer's figures, to the cent, and no ``-0.00``."""
    assert not NEGATIVE_ZERO.search(xml), xml
    root = etree.fromstring(xml)
    line_totals = [
        D(t)
        for t in root.xpath(
            "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()",
            namespaces=NS,
        )
    ]
    assert line_totals == [money(line.net_amount) for line in invoice.lines]
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    expected = invoice.expected
    assert _amount(root, summation + "TaxBasisTotalAmount") == expected.untaxed
    tax_path = summation + f"TaxTotalAmount[@currencyID='{invoice.currency}']"
    assert _amount(root, tax_path) == expected.tax
    assert _amount(root, summation + "GrandTotalAmount") == expected.total
    assert _amount(root, summation + "DuePayableAmount") == expected.due
    stated = {(v.category, v.rate.normalize()): v for v in invoice.vat_amounts}
    for tax in root.xpath(
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS
    ):
        category = tax.findtext("ram:CategoryCode", namespaces=NS)
        rate = D(tax.findtext("ram:RateApplicablePercent", "0", namespaces=NS))
        vat = stated[(category, rate.normalize())]
        assert D(tax.findtext("ram:BasisAmount", namespaces=NS)) == vat.basis
        assert D(tax.findtext("ram:CalculatedAmount", namespaces=NS)) == vat.tax
    for line, element in zip(
        invoice.lines,
        root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS),
        strict=True,
    ):
        # quantity × net price / base quantity gives the line amount
        agreement = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
        net = D(element.xpath(agreement + "ram:ChargeAmount", namespaces=NS)[0].text)
        base = element.xpath(agreement + "ram:BasisQuantity", namespaces=NS)
        base = D(base[0].text) if base else D(1)
        assert money(line.quantity * net / base) == money(line.net_amount)
        assert len(net.as_tuple().digits) <= 19
        assert max(0, -net.as_tuple().exponent) <= 6


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def _issue_example(per_line):
    """The issue's line (3 × 12.3457, 12.5 % off) and a deduction on an
    exempt service, as an invoice."""
    drawn = (
        Line("Abonnement", D("3"), D("12.3457"), sc.VAT_20, discount_percent=D("12.5")),
        Line("Formation", D("1"), D("400"), sc.EXEMPT_TRAINING),
        Line("Remise formation", D("-1"), D("40.004"), sc.EXEMPT_TRAINING),
    )
    return issued("FAC-2026-0001", drawn, per_line), per_line


@given(invoices())
@example(_issue_example(True))
@example(_issue_example(False))
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_any_invoice_builds_with_the_issuers_figures(drawn):
    invoice, _per_line = drawn
    assert facturx_amounts.check_invoice(invoice) == []
    check_figures(invoice, facturx_builder.build_xml(invoice))


@given(invoices(max_lines=12))
@example(_issue_example(True))
@example(_issue_example(False))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_any_invoice_passes_the_validation_pipeline(drawn):
    invoice, _per_line = drawn
    xml = facturx_builder.build_xml(invoice)
    report = facturx_validate.validate(xml)
    assert report.ok, report.message
    assert report.rule_ids("warning") == set(), report.message


def test_the_issue_line_is_written_exactly():
    invoice, _ = _issue_example(per_line=True)
    computed = facturx_amounts.compute(invoice)
    line = computed.lines[0]
    assert line.net_amount == D("32.41")  # 3 × 12.3457 × 0.875 = 32.4074625
    # 10.8024875 needs 7 decimals: the prices are given per 10 units
    assert (line.gross_price, line.price_discount, line.net_price) == (
        D("123.457"),
        D("15.432125"),
        D("108.024875"),
    )
    assert line.base_quantity == D("10")
    deduction = computed.breakdown[-1]
    assert (deduction.category, deduction.tax) == ("E", D("0.00"))
    assert str(deduction.tax) == "0.00"


@pytest.mark.parametrize("per_line", [True, False])
def test_many_lines_round_per_line_or_globally(per_line):
    """Forty lines at 20 % whose per-line VAT differs from the global one."""
    drawn = tuple(Line(f"Ligne {n}", D("1"), D("0.12"), sc.VAT_20) for n in range(40))
    _subtotals, vat = issuer_figures(drawn, per_line)
    assert vat[("S", D("20"))][1] == (D("0.80") if per_line else D("0.96"))
    invoice = issued("FAC-2026-0002", drawn, per_line)
    computed = facturx_amounts.compute(invoice)
    assert computed.totals.tax_total == vat[("S", D("20"))][1]
    assert facturx_validate.validate(facturx_builder.build_xml(invoice)).ok


def test_negative_zero_is_never_written():
    assert str(facturx_amounts.round_amount(D("-0.001"))) == "0.00"
    assert facturx_builder.fmt_amount(D("-0")) == "0.00"
    assert facturx_builder.fmt_price(D("-0.0")) == "0.00"


def test_tax_included_price_is_written_as_the_subtotal():
    """A price that only gives the issuer's subtotal with more decimals than
    allowed: the net price is given per 10, 100… units."""
    line = Line("Prix TTC", D("7"), D("8.333333333"), sc.VAT_20, net_amount=D("58.33"))
    amounts = facturx_amounts.line_amounts(line, 1)
    assert amounts.net_amount == D("58.33")
    assert money(D("7") * amounts.net_price / amounts.base_quantity) == D("58.33")


def test_rounding_difference_of_the_base_becomes_an_allowance():
    """Odoo spreads the rounding of tax-included prices on its accounting
    lines: the cent goes into a document allowance of that VAT."""
    lines = (
        Line("A", D("1"), D("17.79"), sc.VAT_20, net_amount=D("17.79")),
        Line("B", D("1"), D("17.79"), sc.VAT_20, net_amount=D("17.79")),
    )
    invoice = sc._invoice(
        "FAC-2026-0003",
        lines,
        vat_amounts=(StatedVat("S", D("20"), D("35.59"), D("7.12")),),
        expected=ExpectedTotals(D("35.59"), D("7.12"), D("42.71")),
    )
    computed = facturx_amounts.compute(invoice)
    (adjustment,) = computed.allowances_charges
    assert adjustment.source.charge and adjustment.amount == D("0.01")
    assert computed.totals.tax_basis_total == D("35.59")
    assert facturx_validate.validate(facturx_builder.build_xml(invoice)).ok


def test_stated_vat_beyond_br_co_17_is_refused_naming_the_rule():
    line = Line("A", D("1"), D("100"), sc.VAT_20, net_amount=D("100"))
    invoice = sc._invoice(
        "FAC-2026-0004",
        (line,),
        vat_amounts=(StatedVat("S", D("20"), D("100"), D("25")),),
    )
    with pytest.raises(FacturXDataError, match="BR-CO-17"):
        facturx_amounts.compute(invoice)
