"""An invoice as Factur-X sees it: plain dataclasses keyed by EN 16931 terms.

The Odoo layer fills these from ``account.move`` records (one ``Line`` per
product line, one ``Party`` per partner, the company's late-payment setting
as ``LegalNotes``); ``facturx_amounts`` computes every amount from them and
``facturx_builder`` writes the CII D22B XML. Nothing here knows Odoo.

Amounts are ``Decimal`` (``int`` and ``str`` are accepted and converted);
dates are ``datetime.date``. Field comments give the EN 16931 business term
(BT) or group (BG) each one carries; the French rules (BR-FR) are those of
the FNFE ``BR-FR-Flux2`` schematron shipped with factur-x.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .exceptions import FacturXDataError

# ---------------------------------------------------------------------------
# Code lists
# ---------------------------------------------------------------------------

#: BT-3 codes accepted by BR-FR-04.
FR_DOCUMENT_TYPES = frozenset(
    "380 389 393 501 386 500 384 471 472 473 261 262 381 396 502 503".split()
)
INVOICE = "380"
CREDIT_NOTE = "381"
CORRECTIVE_INVOICE = "384"
DEPOSIT_INVOICE = "386"
SELF_BILLED_INVOICE = "389"
#: BG-3 needed at least once (header or every line): BR-FR-CO-05.
TYPES_NEEDING_PRECEDING_INVOICE = frozenset({"261", "381", "396", "502", "503"})
#: BG-3 needed exactly once: BR-FR-CO-04.
TYPES_NEEDING_ONE_PRECEDING_INVOICE = frozenset({"384", "471", "472", "473"})
#: BT-9 may precede BT-2 for these (BR-FR-CO-07).
TYPES_DUE_DATE_FREE = frozenset({"386", "500", "503"})

#: BT-23 values accepted by BR-FR-08.
FR_BILLING_FRAMEWORKS = frozenset(
    "B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 S9 M9".split()
)

#: Line natures, which decide the letter of BT-23.
GOODS = "goods"
SERVICES = "services"
SUBSCRIPTION = "subscription"  # billed as a service (S1)
NATURES = frozenset({GOODS, SERVICES, SUBSCRIPTION})

#: VAT categories (UNCL 5305) accepted by BR-FR-15, in breakdown order.
VAT_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O")
#: Categories whose VAT breakdown needs an exemption reason (BT-120/121).
CATEGORIES_WITH_EXEMPTION_REASON = frozenset({"E", "AE", "K", "G", "O"})
#: Categories whose rate must be 0 (BR-Z/E/AE/IC/G-05 and following).
ZERO_RATE_CATEGORIES = frozenset({"Z", "E", "AE", "K", "G"})
#: VAT rates accepted by BR-FR-16 (metropolitan France, Corsica, overseas).
FR_VAT_RATES = frozenset(
    Decimal(r)
    for r in "0 20 10 5.5 2.1 8.5 13 7 19.6 20.6 1.05 0.9 1.75 9.2 9.6".split()
)

#: BAR note values accepted by BR-FR-20.
BAR_TREATMENTS = frozenset(
    {"B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY"}
)

#: Electronic address scheme of the French directory (BT-34-1 / BT-49-1).
EAS_FR_DIRECTORY = "0225"
#: Identifier schemes (ISO 6523 ICD) of the SIREN and the SIRET.
SCHEME_SIREN = "0002"
SCHEME_SIRET = "0009"

#: BT-8 code written when the seller opted for VAT on debits (CGI art. 269-2-c;
#: UNTDID 2005 code 5, date of invoice).
DUE_DATE_TYPE_DEBITS = "5"

#: BT-24 of each supported profile.
PROFILE_EN16931 = "en16931"
PROFILE_EXTENDED = "extended"
GUIDELINES = {
    PROFILE_EN16931: "urn:cen.eu:en16931:2017",
    PROFILE_EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}


# ---------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    """A postal address (BG-5, BG-8, BG-15)."""

    country_code: str  # BT-40 / BT-55 / BT-80, ISO 3166-1 alpha-2
    line1: str = ""  # BT-35 / BT-50 / BT-75
    line2: str = ""  # BT-36 / BT-51 / BT-76
    line3: str = ""  # BT-162 / BT-163 / BT-165
    postcode: str = ""  # BT-38 / BT-53 / BT-78
    city: str = ""  # BT-37 / BT-52 / BT-77
    subdivision: str = ""  # BT-39 / BT-54 / BT-79


@dataclass(frozen=True)
class Contact:
    """A contact point (BG-6, BG-9)."""

    name: str = ""  # BT-41 / BT-56
    phone: str = ""  # BT-42 / BT-57
    email: str = ""  # BT-43 / BT-58


@dataclass(frozen=True)
class Party:
    """The seller (BG-4) or the buyer (BG-7).

    French companies carry ``siren`` (BT-30 / BT-47, scheme 0002) and may
    carry ``siret`` (BT-29 / BT-46, scheme 0009, the SIREN plus 5 digits).
    Foreign companies use ``legal_id`` with its ``legal_id_scheme`` instead.
    """

    name: str  # BT-27 / BT-44
    address: Address
    siren: str = ""
    siret: str = ""
    legal_id: str = ""  # BT-30 / BT-47 when not a SIREN
    legal_id_scheme: str = ""  # BT-30-1 / BT-47-1
    vat_id: str = ""  # BT-31 / BT-48
    tax_registration_id: str = ""  # BT-32 (scheme FC)
    trading_name: str = ""  # BT-28 / BT-45
    legal_info: str = ""  # BT-33: legal form, share capital, RCS…
    electronic_address: str = ""  # BT-34 / BT-49
    electronic_address_scheme: str = EAS_FR_DIRECTORY  # BT-34-1 / BT-49-1
    contact: Contact | None = None


# ---------------------------------------------------------------------------
# Lines, taxes, allowances and charges
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tax:
    """The VAT of a line or of a document allowance/charge.

    The exemption reason (text BT-120 and/or VATEX code BT-121) is required
    for E, AE, K, G and O; lines of one category must agree on it since the
    category has a single VAT breakdown.
    """

    category: str = "S"  # BT-151 / BT-95 / BT-102
    rate: Decimal = Decimal("20")  # BT-152 / BT-96 / BT-103 (percent)
    exemption_reason: str = ""  # BT-120
    exemption_reason_code: str = ""  # BT-121


@dataclass(frozen=True)
class AllowanceCharge:
    """An allowance or a charge, on a line (BG-27/28) or the document (BG-20/21).

    Give ``amount``, or ``percent`` (of ``base_amount``; by default the line
    amount before its allowances, or for the document the net amount of the
    lines taxed like ``tax``). Document-level ones need ``tax``; a reason
    text or code is always needed (BR-33/38/42/44).
    """

    charge: bool = False  # BT-?-indicator: False allowance, True charge
    amount: Decimal | None = None  # BT-92 / BT-99 / BT-136 / BT-141
    percent: Decimal | None = None  # BT-94 / BT-101 / BT-138 / BT-143
    base_amount: Decimal | None = None  # BT-93 / BT-100 / BT-137 / BT-142
    reason: str = ""  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str = ""  # BT-98 / BT-105 / BT-140 / BT-145 (UNTDID 5189/7161)
    tax: Tax | None = None  # document level only


@dataclass(frozen=True)
class Line:
    """An invoice line (BG-25).

    ``unit_price`` is the price before ``discount_percent`` (Odoo's
    ``price_unit`` and ``discount``): with a discount it becomes the gross
    price BT-148 with the discount per unit BT-147, and the net price BT-146
    is their difference. Quantities may be negative (returns, deduction of a
    deposit); prices may not (BR-27, BR-FR-DEC-03).
    """

    name: str  # BT-153
    quantity: Decimal  # BT-129, at most 4 decimals
    unit_price: Decimal  # BT-146 (or BT-148 with a discount), at most 6 decimals
    tax: Tax = field(default_factory=Tax)
    nature: str = SERVICES  # goods / services / subscription: BT-23 letter
    unit_code: str = "C62"  # BT-130, UN/ECE rec. 20 (C62 one, HUR hour, MON…)
    discount_percent: Decimal = Decimal("0")
    price_base_quantity: Decimal | None = None  # BT-149
    allowances_charges: Sequence[AllowanceCharge] = ()
    period_start: date | None = None  # BT-134
    period_end: date | None = None  # BT-135
    description: str = ""  # BT-154
    seller_item_id: str = ""  # BT-155
    buyer_item_id: str = ""  # BT-156
    line_id: str = ""  # BT-126, the position by default
    note: str = ""  # BT-127
    purchase_order_line: str = ""  # BT-132
    accounting_reference: str = ""  # BT-133
    #: BT-131 as the issuing software computed it (Odoo's ``price_subtotal``):
    #: when given, the XML line net amount is this figure to the cent, and the
    #: prices are written so that quantity × net price gives it.
    net_amount: Decimal | None = None


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A free note (BG-1): text BT-22 and subject code BT-21 (UNTDID 4451)."""

    content: str
    subject_code: str = ""


@dataclass(frozen=True)
class LegalNotes:
    """The late-payment mentions required in every French B2B invoice.

    Written as notes PMT, PMD and AAB, once each (BR-FR-05/06); the same
    company setting prints them on the PDF (Code de commerce L441-9 I). Build them
    with ``legal_notes()``.
    """

    recovery_indemnity: str  # PMT: the EUR 40 fixed indemnity
    late_penalties: str  # PMD: the penalty rate
    early_payment_discount: str  # AAB: the discount terms, or "none"


@dataclass(frozen=True)
class PrecedingInvoice:
    """A preceding invoice reference (BG-3): the invoice credited or corrected,
    or a deposit invoice deducted by a final invoice."""

    number: str  # BT-25
    issue_date: date | None = None  # BT-26 (required by BR-FR-CO-04/05)
    type_code: str = ""  # EXT-FR-FE-02, written at the EXTENDED profile only


@dataclass(frozen=True)
class Delivery:
    """Delivery information (BG-13): where and when the goods went.

    The deliver-to address (BG-15) is written only when it differs from the
    buyer's address, or for an intra-community supply (BR-IC-12).
    """

    address: Address | None = None
    delivery_date: date | None = None  # BT-72
    party_name: str = ""  # BT-70
    location_id: str = ""  # BT-71


@dataclass(frozen=True)
class PaymentTerms:
    """Payment terms (BT-20) and due date (BT-9)."""

    description: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class PaymentMeans:
    """A payment instruction (BG-16).

    Type codes (UNTDID 4461): 30 credit transfer, 58 SEPA credit transfer,
    59 SEPA direct debit, 48 card, 10 cash, 97 clearing between partners.
    """

    type_code: str = "58"  # BT-81
    iban: str = ""  # BT-84
    account_name: str = ""  # BT-85
    bic: str = ""  # BT-86
    information: str = ""  # BT-82
    mandate_reference: str = ""  # BT-89 (direct debit)
    creditor_reference: str = ""  # BT-90 (SEPA creditor identifier)
    debited_iban: str = ""  # BT-91 (direct debit)


@dataclass(frozen=True)
class ExpectedTotals:
    """Totals computed elsewhere (Odoo's ``amount_*``) to cross-check.

    Each given value must equal the builder's own figure, to the cent.
    """

    untaxed: Decimal | None = None  # BT-109
    tax: Decimal | None = None  # BT-110
    total: Decimal | None = None  # BT-112
    due: Decimal | None = None  # BT-115


@dataclass(frozen=True)
class StatedVat:
    """The VAT of one category and rate as the invoice states it (BG-23).

    Odoo rounds VAT per line or globally (a company setting); either way the
    document is the invoice, so the XML carries its figures: ``basis`` is
    the sum of the invoice's untaxed line amounts of that VAT (BT-116),
    ``tax`` its VAT amount (BT-117). EN 16931 BR-CO-17 tolerates the
    difference that rounding per line makes (at most one currency unit).
    """

    category: str
    rate: Decimal
    basis: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Invoice:
    """A whole invoice (or credit note, deposit invoice…).

    ``billing_framework`` (BT-23) is derived from the line natures when left
    empty: B (all goods), S (all services, subscriptions included) or M
    (both), followed by 1, or 2 when ``already_paid``, or 4 for the final
    invoice after a deposit (``final_after_deposit``).

    Foreign currency: BT-6 is EUR and the VAT total in EUR (BT-111) is
    ``tax_total_eur`` when given (Odoo's company-currency tax), else the VAT
    total divided by ``eur_rate`` (invoice-currency units for one euro, the
    convention of Odoo's currency rates).
    """

    number: str  # BT-1
    issue_date: date  # BT-2
    seller: Party  # BG-4
    buyer: Party  # BG-7
    lines: Sequence[Line]  # BG-25
    legal_notes: LegalNotes | None  # BT-21/22 PMT, PMD, AAB
    type_code: str = INVOICE  # BT-3
    currency: str = "EUR"  # BT-5
    billing_framework: str = ""  # BT-23
    already_paid: bool = False
    final_after_deposit: bool = False
    bar_treatment: str = ""  # BT-22 of a BAR note: B2B, B2BINT, B2C…
    notes: Sequence[Note] = ()  # other BG-1
    buyer_reference: str = ""  # BT-10
    project_reference: str = ""  # BT-11
    contract_reference: str = ""  # BT-12
    purchase_order: str = ""  # BT-13
    sales_order: str = ""  # BT-14
    period_start: date | None = None  # BT-73
    period_end: date | None = None  # BT-74
    delivery: Delivery | None = None  # BG-13
    preceding_invoices: Sequence[PrecedingInvoice] = ()  # BG-3
    allowances_charges: Sequence[AllowanceCharge] = ()  # BG-20 / BG-21
    payment_terms: PaymentTerms | None = None  # BT-9, BT-20
    payment_means: Sequence[PaymentMeans] = ()  # BG-16
    payment_reference: str = ""  # BT-83
    vat_on_debits: bool = False  # BT-8 = 5: the seller opted for VAT on debits
    tax_point_date: date | None = None  # BT-7 (exclusive with BT-8)
    eur_rate: Decimal | None = None  # see the class docstring
    tax_total_eur: Decimal | None = None  # BT-111 when the currency is not EUR
    prepaid_amount: Decimal = Decimal("0")  # BT-113 (set to BT-112 if already paid)
    rounding_amount: Decimal = Decimal("0")  # BT-114
    expected: ExpectedTotals | None = None
    vat_amounts: Sequence[StatedVat] = ()  # the document's own BG-23 figures


# ---------------------------------------------------------------------------
# Helpers for the Odoo layer
# ---------------------------------------------------------------------------


def billing_framework(
    natures: Iterable[str],
    *,
    type_code: str = INVOICE,
    already_paid: bool = False,
    final_after_deposit: bool = False,
) -> str:
    """BT-23 from the line natures and the invoice situation.

    Subscriptions are services. A deposit invoice (386) is never a final
    invoice (BR-FR-CO-08); ``already_paid`` and ``final_after_deposit``
    exclude each other.
    """
    kinds = set()
    for nature in natures:
        if nature not in NATURES:
            raise FacturXDataError([f"Unknown line nature {nature!r}"])
        kinds.add(GOODS if nature == GOODS else SERVICES)
    if not kinds:
        raise FacturXDataError(["An invoice needs at least one line (BG-25)"])
    letter = "M" if len(kinds) > 1 else ("B" if kinds == {GOODS} else "S")
    if final_after_deposit and already_paid:
        raise FacturXDataError(
            ["A final invoice after deposit (x4) cannot also be already paid (x2)"]
        )
    if final_after_deposit:
        if type_code == DEPOSIT_INVOICE:
            raise FacturXDataError(
                ["A deposit invoice (386) cannot be a final invoice (BR-FR-CO-08)"]
            )
        return letter + "4"
    return letter + ("2" if already_paid else "1")


def _fr_decimal(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def legal_notes(
    penalty_rate,
    *,
    penalty_rate_basis: str = "",
    indemnity=Decimal("40"),
    early_payment_discount: str = "",
) -> LegalNotes:
    """The PMT, PMD and AAB texts from the company's late-payment setting.

    ``penalty_rate`` is the annual percentage in force (for the legal
    default, the ECB rate + 10 points of the current half-year, given in
    ``penalty_rate_basis``), or None when the figure is not known yet: the
    note then states the rule ``penalty_rate_basis`` alone, which is what
    L441-9 requires; ``early_payment_discount`` the discount terms, empty for
    none (L441-9 I requires stating that there is none). The indemnity is in
    euros (D441-5).
    """
    if penalty_rate is None:
        rate = penalty_rate_basis or (
            "taux de refinancement de la BCE majoré de 10 points"
        )
    else:
        basis = f" ({penalty_rate_basis})" if penalty_rate_basis else ""
        rate = f"taux annuel de {_fr_decimal(penalty_rate)} %{basis}"
    return LegalNotes(
        recovery_indemnity=(
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard "
            f"de paiement : {_fr_decimal(indemnity)} € (articles L441-10 et "
            "D441-5 du Code de commerce)."
        ),
        late_penalties=(
            "Pénalités de retard exigibles dès le lendemain de la date "
            f"d'échéance, sans rappel : {rate}."
        ),
        early_payment_discount=(
            early_payment_discount or "Pas d'escompte pour paiement anticipé."
        ),
    )
