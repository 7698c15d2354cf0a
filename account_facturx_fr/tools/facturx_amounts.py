"""Amounts of a Factur-X invoice, computed the EN 16931 way.

Every monetary amount is rounded to 2 decimals with ``ROUND_HALF_UP``, once,
where EN 16931 defines it, so that the figures written in the XML satisfy the
calculation rules BR-CO-10 to BR-CO-17 exactly:

- line net amount BT-131 = round(quantity × net price / base quantity)
  − line allowances + line charges;
- VAT breakdown (BG-23), one per category and rate: taxable amount BT-116 =
  Σ line net amounts + document charges − document allowances of that
  category and rate; tax BT-117 = round(BT-116 × rate / 100);
- totals: BT-106 = Σ BT-131, BT-109 = BT-106 − BT-107 + BT-108,
  BT-110 = Σ BT-117, BT-112 = BT-109 + BT-110,
  BT-115 = BT-112 − BT-113 + BT-114.

``check_invoice`` lists what would break a French rule before any XML is
written; ``compute`` raises ``FacturXDataError`` on inconsistent data.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .exceptions import FacturXDataError
from .facturx_model import (
    BAR_TREATMENTS,
    CATEGORIES_WITH_EXEMPTION_REASON,
    DEPOSIT_INVOICE,
    EAS_FR_DIRECTORY,
    FR_BILLING_FRAMEWORKS,
    FR_DOCUMENT_TYPES,
    FR_VAT_RATES,
    NATURES,
    TYPES_DUE_DATE_FREE,
    TYPES_NEEDING_ONE_PRECEDING_INVOICE,
    TYPES_NEEDING_PRECEDING_INVOICE,
    VAT_CATEGORIES,
    ZERO_RATE_CATEGORIES,
    AllowanceCharge,
    Invoice,
    Line,
    Tax,
    billing_framework,
)

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

_INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9+\-_/]{1,35}$")  # BR-FR-01/02
_SIREN = re.compile(r"^\d{9}$")
_SIRET = re.compile(r"^\d{14}$")
_FR_ADDRESS = re.compile(r"^[A-Za-z0-9\-_.]{1,125}$")  # BR-FR-23/25


def to_decimal(value) -> Decimal:
    """``value`` as a Decimal; floats go through ``str`` to avoid binary noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as err:
        raise FacturXDataError([f"Not a number: {value!r}"]) from err


def round_amount(value) -> Decimal:
    """A monetary amount: 2 decimals, half up (away from zero on ties).

    Zero is always positive: ``-0.00`` (a negative base at a 0 % rate, a
    negative amount that rounds to nothing) fails EN 16931 BR-*-09.
    """
    amount = to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount if amount else abs(amount)


def decimals(value: Decimal) -> int:
    """Number of significant decimals of ``value`` (1.50 has 1)."""
    exponent = to_decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedAllowanceCharge:
    """An allowance or charge with its amount computed (rounded)."""

    source: AllowanceCharge
    amount: Decimal
    base_amount: Decimal | None
    percent: Decimal | None


@dataclass(frozen=True)
class LineAmounts:
    """The amounts of one line as written in the XML."""

    line: Line
    line_id: str
    net_price: Decimal  # BT-146
    gross_price: Decimal | None  # BT-148, when there is a price discount
    price_discount: Decimal | None  # BT-147
    gross_amount: Decimal  # quantity × net price, before line allowances
    allowances_charges: tuple[ResolvedAllowanceCharge, ...]
    net_amount: Decimal  # BT-131
    base_quantity: Decimal = Decimal("1")  # BT-149 the prices are given for


@dataclass(frozen=True)
class TaxBreakdown:
    """One VAT breakdown (BG-23)."""

    category: str  # BT-118
    rate: Decimal  # BT-119
    basis: Decimal  # BT-116
    tax: Decimal  # BT-117
    exemption_reason: str = ""  # BT-120
    exemption_reason_code: str = ""  # BT-121


@dataclass(frozen=True)
class Totals:
    """Document totals (BG-22)."""

    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_basis_total: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_total_eur: Decimal | None  # BT-111 (foreign currency only)
    grand_total: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    due: Decimal  # BT-115


@dataclass(frozen=True)
class ComputedInvoice:
    """Everything ``facturx_builder`` writes that is not copied verbatim."""

    invoice: Invoice
    billing_framework: str  # BT-23
    lines: tuple[LineAmounts, ...]
    allowances_charges: tuple[ResolvedAllowanceCharge, ...]  # document level
    breakdown: tuple[TaxBreakdown, ...]
    totals: Totals


# ---------------------------------------------------------------------------
# Computation
# ---------------------------------------------------------------------------


def _tax_key(tax: Tax):
    return (tax.category, to_decimal(tax.rate).normalize())


def _resolve(ac: AllowanceCharge, default_base: Decimal) -> ResolvedAllowanceCharge:
    percent = None if ac.percent is None else to_decimal(ac.percent)
    base = None if ac.base_amount is None else round_amount(ac.base_amount)
    if ac.amount is not None:
        amount = round_amount(ac.amount)
    elif percent is not None:
        if base is None:
            base = round_amount(default_base)
        amount = round_amount(base * percent / HUNDRED)
    else:
        raise FacturXDataError(["An allowance or charge needs an amount or a percent"])
    if percent is not None and base is None:
        base = round_amount(default_base)
    return ResolvedAllowanceCharge(ac, amount, base, percent)


#: Price base quantities tried (BT-149): 1, 10, … 10**9 units.
_MAX_BASE_EXPONENT = 9
#: Decimals of a price in the XML (BR-FR-DEC-03).
PRICE_DECIMALS = 6
_PRICE_QUANTUM = Decimal(1).scaleb(-PRICE_DECIMALS)


def _fits_price(value: Decimal) -> bool:
    return decimals(value) <= PRICE_DECIMALS


@dataclass(frozen=True)
class _Prices:
    """Prices per ``base_quantity`` units, each with at most 6 decimals."""

    net: Decimal
    gross: Decimal | None
    discount: Decimal | None
    base_quantity: Decimal


def _exact_prices(unit_price, discount, base_quantity) -> _Prices | None:
    """The prices written as they are (``discount`` in percent), per 1, 10,
    100… times ``base_quantity`` so that no price needs more than 6
    decimals; None if even 10**9 units are not enough."""
    net = unit_price * (HUNDRED - discount) / HUNDRED if discount else unit_price
    for exponent in range(_MAX_BASE_EXPONENT + 1):
        scale = Decimal(1).scaleb(exponent)
        net_scaled = net * scale
        gross_scaled = unit_price * scale
        if _fits_price(net_scaled) and _fits_price(gross_scaled):
            if discount <= 0:  # none, or a surcharge: the net price alone
                return _Prices(net_scaled, None, None, base_quantity * scale)
            return _Prices(
                net_scaled,
                gross_scaled,
                gross_scaled - net_scaled,
                base_quantity * scale,
            )
    return None


def _prices_for_amount(target, quantity, unit_price, discount, base_quantity):
    """Prices that give exactly ``target`` for ``quantity`` (the issuer's own
    rounding of a tax-included or high-precision price): the net price per
    1, 10, 100… base quantities, rounded to 6 decimals, until it does."""
    for exponent in range(_MAX_BASE_EXPONENT + 1):
        base = base_quantity * Decimal(1).scaleb(exponent)
        net = (target * base / quantity).quantize(_PRICE_QUANTUM, ROUND_HALF_UP)
        if net < 0 or round_amount(quantity * net / base) != target:
            continue
        gross = unit_price * base / base_quantity if discount > 0 else None
        if gross is not None and (not _fits_price(gross) or gross < net):
            gross = None
        return _Prices(
            net.normalize() if net else ZERO,
            gross,
            None if gross is None else gross - net,
            base,
        )
    return None


def line_amounts(line: Line, position: int) -> LineAmounts:
    """The amounts of ``line`` (1-based ``position`` gives the default BT-126).

    Any price precision and any percentage discount are written exactly:
    a price that needs more than 6 decimals is given per 10, 100… units
    (BT-149), the discount as the gross price BT-148 and the discount per
    unit BT-147. When the issuer states the line net amount
    (``line.net_amount``), BT-131 is that amount to the cent.
    """
    quantity = to_decimal(line.quantity)
    unit_price = to_decimal(line.unit_price)
    discount = to_decimal(line.discount_percent or 0)
    base_quantity = to_decimal(line.price_base_quantity or 1)
    if base_quantity <= 0:
        raise FacturXDataError([f"Line {position}: price base quantity must be > 0"])
    resolved_later = []
    prices = _exact_prices(unit_price, discount, base_quantity)
    gross_amount = (
        None
        if prices is None
        else round_amount(quantity * prices.net / prices.base_quantity)
    )
    if line.net_amount is not None:
        target = round_amount(line.net_amount)
        base = target if gross_amount is None else gross_amount
        resolved_later = [_resolve(ac, base) for ac in line.allowances_charges]
        signed = sum(
            (i.amount if i.source.charge else -i.amount for i in resolved_later), ZERO
        )
        target_gross = target - signed
        if gross_amount != target_gross:
            if not quantity:
                raise FacturXDataError(
                    [f"Line {position}: a line of quantity 0 cannot amount to {target}"]
                )
            prices = _prices_for_amount(
                target_gross, quantity, unit_price, discount, base_quantity
            )
            gross_amount = target_gross
    if prices is None:
        raise FacturXDataError(
            [
                f"Line {position}: the price {unit_price} cannot be written with "
                f"{PRICE_DECIMALS} decimals per up to 10^{_MAX_BASE_EXPONENT} units "
                "(BR-FR-DEC-03)"
            ]
        )
    resolved = tuple(
        resolved_later or (_resolve(ac, gross_amount) for ac in line.allowances_charges)
    )
    net_amount = gross_amount
    for item in resolved:
        net_amount += item.amount if item.source.charge else -item.amount
    return LineAmounts(
        line=line,
        line_id=line.line_id or str(position),
        net_price=prices.net,
        gross_price=prices.gross,
        price_discount=prices.discount,
        gross_amount=gross_amount,
        allowances_charges=resolved,
        net_amount=net_amount,
        base_quantity=prices.base_quantity,
    )


def _exemption(groups, key, tax: Tax, problems):
    """Record the exemption reason of ``key``; lines of a category must agree."""
    reason = (tax.exemption_reason, tax.exemption_reason_code)
    known = groups.setdefault(key, reason)
    if reason != known and any(reason):
        if any(known):
            problems.append(
                f"VAT category {key[0]} at {key[1]} %: conflicting exemption "
                f"reasons {known} and {reason} (one VAT breakdown per category)"
            )
        else:
            groups[key] = reason


#: BR-CO-17: the VAT of a category may differ from its base × rate by at
#: most one currency unit (the schematron's tolerance for per-line rounding).
VAT_TOLERANCE = Decimal("1")


def _stated_vat(invoice: Invoice) -> dict:
    """The invoice's own VAT figures by (category, rate)."""
    stated = {}
    for vat in invoice.vat_amounts:
        key = (vat.category, to_decimal(vat.rate).normalize())
        if key in stated:
            raise FacturXDataError(
                [f"VAT category {key[0]} at {key[1]} % is stated twice (BG-23)"]
            )
        stated[key] = vat
    return stated


def _vat_amount(key, basis: Decimal, stated) -> Decimal:
    """BT-117 of ``key``: the invoice's own figure when stated (checked
    against BR-CO-17), else the base × rate rounded."""
    category, rate = key
    computed = round_amount(basis * rate / HUNDRED)
    if stated is None:
        return computed
    tax = round_amount(stated.tax)
    if abs(tax - computed) > VAT_TOLERANCE or (not rate and tax):
        raise FacturXDataError(
            [
                f"VAT category {category} at {rate} %: the invoice states {tax} "
                f"of VAT on a base of {basis}, {computed} expected (BR-CO-17)"
            ]
        )
    return tax


def tax_breakdown(lines, document_acs, stated=None) -> tuple[TaxBreakdown, ...]:
    """The VAT breakdown (BG-23) of computed lines and document allowances/charges.

    ``stated``: the invoice's own VAT by (category, rate) (``_stated_vat``).
    """
    stated = stated or {}
    bases: dict = {}
    reasons: dict = {}
    problems: list[str] = []
    for amounts in lines:
        key = _tax_key(amounts.line.tax)
        bases[key] = bases.get(key, ZERO) + amounts.net_amount
        _exemption(reasons, key, amounts.line.tax, problems)
    for item in document_acs:
        key = _tax_key(item.source.tax)
        signed = item.amount if item.source.charge else -item.amount
        bases[key] = bases.get(key, ZERO) + signed
        _exemption(reasons, key, item.source.tax, problems)
    problems += [
        f"VAT category {key[0]} at {key[1]} % is stated but no line carries it"
        for key in stated
        if key not in bases
    ]
    if problems:
        raise FacturXDataError(problems)

    def order(key):
        category, rate = key
        rank = VAT_CATEGORIES.index(category) if category in VAT_CATEGORIES else 99
        return (rank, -rate)

    breakdown = []
    for key in sorted(bases, key=order):
        category, rate = key
        basis = bases[key] + ZERO  # never -0
        tax = _vat_amount(key, basis, stated.get(key))
        reason, code = reasons[key]
        breakdown.append(TaxBreakdown(category, rate, basis, tax, reason, code))
    return tuple(breakdown)


#: Reason of the allowance or charge that carries a rounding difference of
#: the issuer's untaxed amount (prices including VAT rounded globally).
ROUNDING_REASON = "Arrondi"


def _rounding_adjustments(lines, document_acs, stated) -> list:
    """Document allowances/charges for the cents by which the issuer's VAT
    base (``stated``) differs from the lines: Odoo spreads the rounding of
    tax-included prices on the accounting lines, not on the line subtotals."""
    bases: dict = {}
    taxes: dict = {}
    for amounts in lines:
        key = _tax_key(amounts.line.tax)
        bases[key] = bases.get(key, ZERO) + amounts.net_amount
        taxes.setdefault(key, amounts.line.tax)
    for item in document_acs:
        key = _tax_key(item.source.tax)
        bases[key] = bases.get(key, ZERO) + (
            item.amount if item.source.charge else -item.amount
        )
        taxes.setdefault(key, item.source.tax)
    adjustments = []
    for key, vat in stated.items():
        if key not in bases:
            continue
        delta = round_amount(vat.basis) - bases[key]
        if not delta:
            continue
        if abs(delta) > VAT_TOLERANCE:
            raise FacturXDataError(
                [
                    f"VAT category {key[0]} at {key[1]} %: the invoice states a base "
                    f"of {round_amount(vat.basis)}, its lines add up to {bases[key]}"
                ]
            )
        source = AllowanceCharge(
            charge=delta > 0, amount=abs(delta), reason=ROUNDING_REASON, tax=taxes[key]
        )
        adjustments.append(ResolvedAllowanceCharge(source, abs(delta), None, None))
    return adjustments


def _document_default_base(lines, tax: Tax | None) -> Decimal:
    """Default base of a document allowance in percent: lines taxed alike."""
    if tax is None:
        return sum((a.net_amount for a in lines), ZERO)
    key = _tax_key(tax)
    return sum((a.net_amount for a in lines if _tax_key(a.line.tax) == key), ZERO)


def _tax_total_eur(invoice: Invoice, tax_total: Decimal) -> Decimal | None:
    if invoice.currency == "EUR":
        return None
    if invoice.tax_total_eur is not None:
        return round_amount(invoice.tax_total_eur)
    if invoice.eur_rate:
        return round_amount(tax_total / to_decimal(invoice.eur_rate))
    raise FacturXDataError(
        [
            f"Invoice in {invoice.currency}: give tax_total_eur or eur_rate for the "
            "VAT total in EUR (BT-111, BR-FR-CO-12)"
        ]
    )


def compute(invoice: Invoice) -> ComputedInvoice:
    """All amounts of ``invoice``; raises ``FacturXDataError`` if inconsistent."""
    if not invoice.lines:
        raise FacturXDataError(["An invoice needs at least one line (BG-25)"])
    lines = tuple(line_amounts(line, i) for i, line in enumerate(invoice.lines, 1))
    document_acs = []
    for ac in invoice.allowances_charges:
        if ac.tax is None:
            raise FacturXDataError(
                ["A document allowance or charge needs its VAT (BT-95 / BT-102)"]
            )
        document_acs.append(_resolve(ac, _document_default_base(lines, ac.tax)))
    stated = _stated_vat(invoice)
    document_acs += _rounding_adjustments(lines, document_acs, stated)
    document_acs = tuple(document_acs)
    breakdown = tax_breakdown(lines, document_acs, stated)

    line_total = sum((a.net_amount for a in lines), ZERO)
    allowance_total = sum((i.amount for i in document_acs if not i.source.charge), ZERO)
    charge_total = sum((i.amount for i in document_acs if i.source.charge), ZERO)
    tax_basis_total = line_total - allowance_total + charge_total
    tax_total = sum((b.tax for b in breakdown), ZERO)
    grand_total = tax_basis_total + tax_total
    rounding = round_amount(invoice.rounding_amount or 0)
    prepaid = (
        grand_total
        if invoice.already_paid
        else round_amount(invoice.prepaid_amount or 0)
    )
    totals = Totals(
        line_total=line_total,
        allowance_total=allowance_total,
        charge_total=charge_total,
        tax_basis_total=tax_basis_total,
        tax_total=tax_total,
        tax_total_eur=_tax_total_eur(invoice, tax_total),
        grand_total=grand_total,
        prepaid=prepaid,
        rounding=rounding,
        due=grand_total - prepaid + rounding,
    )
    framework = invoice.billing_framework or billing_framework(
        (line.nature for line in invoice.lines),
        type_code=invoice.type_code,
        already_paid=invoice.already_paid,
        final_after_deposit=invoice.final_after_deposit,
    )
    computed = ComputedInvoice(
        invoice=invoice,
        billing_framework=framework,
        lines=lines,
        allowances_charges=document_acs,
        breakdown=breakdown,
        totals=totals,
    )
    mismatches = expected_mismatches(computed)
    if mismatches:
        raise FacturXDataError(mismatches)
    return computed


def expected_mismatches(computed: ComputedInvoice) -> list[str]:
    """Differences between ``invoice.expected`` and the computed totals."""
    expected = computed.invoice.expected
    if expected is None:
        return []
    totals = computed.totals
    pairs = (
        ("untaxed amount (BT-109)", expected.untaxed, totals.tax_basis_total),
        ("VAT total (BT-110)", expected.tax, totals.tax_total),
        ("total with VAT (BT-112)", expected.total, totals.grand_total),
        ("amount due (BT-115)", expected.due, totals.due),
    )
    return [
        f"Expected {label} {round_amount(given)}, computed {mine}"
        for label, given, mine in pairs
        if given is not None and round_amount(given) != mine
    ]


# ---------------------------------------------------------------------------
# French rules checked before building
# ---------------------------------------------------------------------------


def _check_party(party, role: str, problems: list[str]):
    bt = {"seller": ("BT-30", "BT-29", "BT-34"), "buyer": ("BT-47", "BT-46", "BT-49")}
    siren_bt, siret_bt, address_bt = bt[role]
    if party.siren and not _SIREN.match(party.siren):
        problems.append(f"{role} SIREN ({siren_bt}) must be 9 digits: {party.siren!r}")
    if party.siren and party.legal_id:
        problems.append(f"{role}: give either a SIREN or another legal_id, not both")
    if party.siret and not (
        _SIRET.match(party.siret) and party.siret[:9] == party.siren
    ):
        problems.append(
            f"{role} SIRET ({siret_bt}) must be 14 digits starting with the SIREN "
            f"(BR-FR-09): {party.siret!r}"
        )
    if not party.electronic_address:
        problems.append(f"{role} electronic address ({address_bt}) is mandatory")
    elif party.electronic_address_scheme == EAS_FR_DIRECTORY and not _FR_ADDRESS.match(
        party.electronic_address
    ):
        problems.append(
            f"{role} electronic address ({address_bt}) may only hold letters, digits, "
            f"'-', '_' and '.', up to 125 (BR-FR-23/25): {party.electronic_address!r}"
        )
    if not party.address.country_code:
        problems.append(f"{role} country code is mandatory (BR-9/BR-11)")


def _check_tax(tax: Tax, where: str, problems: list[str]):
    if tax.category not in VAT_CATEGORIES:
        problems.append(
            f"{where}: VAT category {tax.category!r} not allowed (BR-FR-15)"
        )
        return
    rate = to_decimal(tax.rate)
    if tax.category != "O" and rate not in FR_VAT_RATES:
        problems.append(f"{where}: VAT rate {rate} is not a French rate (BR-FR-16)")
    if tax.category in ZERO_RATE_CATEGORIES and rate != 0:
        problems.append(f"{where}: VAT category {tax.category} requires a 0 rate")
    if tax.category == "S" and rate <= 0:
        problems.append(f"{where}: standard rated VAT needs a rate above 0 (BR-S-05)")
    if tax.category in CATEGORIES_WITH_EXEMPTION_REASON and not (
        tax.exemption_reason or tax.exemption_reason_code
    ):
        problems.append(
            f"{where}: VAT category {tax.category} needs an exemption reason "
            "(BT-120 or BT-121)"
        )


def _check_allowance_charge(ac: AllowanceCharge, where: str, problems: list[str]):
    if not (ac.reason or ac.reason_code):
        problems.append(f"{where}: an allowance or charge needs a reason or a code")
    if ac.amount is None and ac.percent is None:
        problems.append(f"{where}: an allowance or charge needs an amount or a percent")


def _check_lines(invoice: Invoice, problems: list[str]):
    for position, line in enumerate(invoice.lines, 1):
        where = f"line {position}"
        if not line.name:
            problems.append(f"{where}: the item name (BT-153) is mandatory")
        if line.nature not in NATURES:
            problems.append(f"{where}: unknown nature {line.nature!r}")
        if decimals(line.quantity) > 4:
            problems.append(
                f"{where}: quantity has more than 4 decimals (BR-FR-DEC-02)"
            )
        unit_price = to_decimal(line.unit_price)
        if unit_price < 0:
            problems.append(f"{where}: negative price; negate the quantity (BR-27)")
        discount = to_decimal(line.discount_percent or 0)
        if discount > HUNDRED:
            problems.append(
                f"{where}: a discount of {discount} % makes the net price "
                "negative (BR-27)"
            )
        if (
            line.period_start
            and line.period_end
            and line.period_end < line.period_start
        ):
            problems.append(f"{where}: period end before its start (BR-30)")
        _check_tax(line.tax, where, problems)
        for ac in line.allowances_charges:
            _check_allowance_charge(ac, where, problems)
            if ac.tax is not None:
                problems.append(f"{where}: line allowances/charges take the line's VAT")


def _check_references(invoice: Invoice, problems: list[str]):
    refs = [p for p in invoice.preceding_invoices if p.number and p.issue_date]
    if any(not _INVOICE_NUMBER.match(p.number) for p in invoice.preceding_invoices):
        problems.append("A preceding invoice number (BT-25) breaks BR-FR-01/02")
    if invoice.type_code in TYPES_NEEDING_PRECEDING_INVOICE and not refs:
        problems.append(
            f"Type {invoice.type_code} needs the preceding invoice with its date "
            "(BG-3, BR-FR-CO-05)"
        )
    if invoice.type_code in TYPES_NEEDING_ONE_PRECEDING_INVOICE and len(refs) != 1:
        problems.append(
            f"Type {invoice.type_code} needs exactly one preceding invoice "
            "(BG-3, BR-FR-CO-04)"
        )
    if invoice.final_after_deposit and not refs:
        problems.append(
            "A final invoice after deposit should reference the deposit (BG-3)"
        )


def _check_dates(invoice: Invoice, problems: list[str]):
    if invoice.period_start and invoice.period_end:
        if invoice.period_end < invoice.period_start:
            problems.append("Invoice period end before its start (BR-29)")
    if invoice.vat_on_debits and invoice.tax_point_date:
        problems.append("BT-7 and BT-8 exclude each other (BR-CO-03)")
    due = invoice.payment_terms.due_date if invoice.payment_terms else None
    if invoice.already_paid and not due:
        problems.append("An already paid invoice (x2) needs a due date (BR-FR-CO-09)")
    if (
        due
        and due < invoice.issue_date
        and invoice.type_code not in TYPES_DUE_DATE_FREE
        and not invoice.already_paid
    ):
        problems.append("The due date (BT-9) precedes the issue date (BR-FR-CO-07)")


def check_invoice(invoice: Invoice) -> list[str]:
    """Problems that would make the Factur-X fail a French or EN 16931 rule.

    An empty list does not replace the validation pipeline; it catches the
    data errors early, with a message naming the field.
    """
    problems: list[str] = []
    if not _INVOICE_NUMBER.match(invoice.number or ""):
        problems.append(
            f"Invoice number {invoice.number!r} must be 1-35 characters from "
            "A-Z a-z 0-9 + - _ / (BR-FR-01/02)"
        )
    if invoice.type_code not in FR_DOCUMENT_TYPES:
        problems.append(f"Type code {invoice.type_code!r} not allowed (BR-FR-04)")
    if (
        invoice.billing_framework
        and invoice.billing_framework not in FR_BILLING_FRAMEWORKS
    ):
        problems.append(f"Billing framework {invoice.billing_framework!r} (BR-FR-08)")
    if invoice.type_code == DEPOSIT_INVOICE and invoice.billing_framework[1:] == "4":
        problems.append("A deposit invoice cannot use B4/S4/M4 (BR-FR-CO-08)")
    if invoice.legal_notes is None:
        problems.append("The PMT, PMD and AAB notes are mandatory (BR-FR-05)")
    reserved = {"PMT", "PMD", "AAB", "BAR"}
    if any(note.subject_code in reserved for note in invoice.notes):
        problems.append(
            "PMT, PMD, AAB and BAR notes come from legal_notes/bar_treatment"
        )
    if invoice.bar_treatment and invoice.bar_treatment not in BAR_TREATMENTS:
        problems.append(f"BAR treatment {invoice.bar_treatment!r} (BR-FR-20)")
    _check_party(invoice.seller, "seller", problems)
    _check_party(invoice.buyer, "buyer", problems)
    if not invoice.seller.siren:
        problems.append("The seller SIREN (BT-30) is mandatory (BR-FR-10)")
    if invoice.bar_treatment == "B2B":
        buyer = invoice.buyer
        if not buyer.siren:
            problems.append("BAR B2B needs the buyer SIREN (BT-47, BR-FR-11)")
        if buyer.electronic_address_scheme != EAS_FR_DIRECTORY or not (
            buyer.electronic_address.startswith(buyer.siren)
        ):
            problems.append(
                "BAR B2B needs a buyer electronic address (BT-49) with scheme 0225 "
                "starting with the buyer SIREN (BR-FR-21)"
            )
    if not invoice.lines:
        problems.append("An invoice needs at least one line (BG-25)")
    _check_lines(invoice, problems)
    for ac in invoice.allowances_charges:
        _check_allowance_charge(ac, "document", problems)
        if ac.tax is None:
            problems.append("document: an allowance or charge needs its VAT")
        else:
            _check_tax(ac.tax, "document allowance/charge", problems)
    _check_references(invoice, problems)
    _check_dates(invoice, problems)
    if invoice.currency != "EUR" and not (invoice.tax_total_eur or invoice.eur_rate):
        problems.append(
            f"Invoice in {invoice.currency}: give tax_total_eur or eur_rate "
            "(BR-FR-CO-12)"
        )
    _check_vat_ids(invoice, problems)
    return problems


def _check_vat_ids(invoice: Invoice, problems: list[str]):
    categories = {line.tax.category for line in invoice.lines} | {
        ac.tax.category for ac in invoice.allowances_charges if ac.tax is not None
    }
    if categories & {"S", "Z", "E", "AE", "K", "G"} and not (
        invoice.seller.vat_id or invoice.seller.tax_registration_id
    ):
        problems.append("The seller VAT identifier (BT-31) is mandatory (BR-S-02…)")
    if categories & {"AE", "K"} and not invoice.buyer.vat_id:
        problems.append(
            "Reverse charge and intra-community supply need the buyer VAT "
            "identifier (BT-48, BR-AE-02 / BR-IC-02)"
        )
    if "K" in categories:
        delivery = invoice.delivery
        if not (delivery and delivery.delivery_date) and not (
            invoice.period_start or invoice.period_end
        ):
            problems.append(
                "An intra-community supply needs the delivery date (BT-72) or the "
                "invoice period (BG-14) (BR-IC-11)"
            )
