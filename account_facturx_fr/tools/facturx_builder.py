"""Factur-X CII D22B XML from a ``facturx_model.Invoice``, built with lxml.

``build_xml(invoice)`` writes the EN 16931 profile (``profile="extended"``
for Factur-X EXTENDED) with every business term the French rules require
(the FNFE BR-FR rules and CGI art. 242 nonies A): BT-23 billing framework,
seller SIREN/SIRET, buyer SIREN, electronic addresses, PMT/PMD/AAB notes,
invoice and line periods, delivery address, preceding invoices, BT-8 for VAT
on debits, the VAT total in EUR for a foreign currency, allowances and
charges, exemption reasons.

Element order follows the Factur-X 1.09 XSD of each profile. Amounts come
from ``facturx_amounts.compute``; the data is checked first with
``facturx_amounts.check_invoice`` and ``FacturXDataError`` lists every
problem found (``check=False`` skips this, for tests of the validators).
"""

import re

from lxml import etree

from .exceptions import FacturXDataError
from .facturx_amounts import (
    ComputedInvoice,
    LineAmounts,
    ResolvedAllowanceCharge,
    check_invoice,
    compute,
    round_amount,
    to_decimal,
)
from .facturx_model import (
    DUE_DATE_TYPE_DEBITS,
    GUIDELINES,
    PROFILE_EN16931,
    PROFILE_EXTENDED,
    SCHEME_SIREN,
    SCHEME_SIRET,
    Address,
    Invoice,
    Party,
    Tax,
)

NS_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_RAM = (
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
)
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": NS_RSM, "qdt": NS_QDT, "ram": NS_RAM, "udt": NS_UDT}

PROFILES = (PROFILE_EN16931, PROFILE_EXTENDED)
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
#: Characters XML 1.0 cannot carry (control characters, lone surrogates…).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def fmt_amount(value) -> str:
    """A monetary amount: always 2 decimals (BR-DEC-*, BR-FR-DEC-01)."""
    return f"{round_amount(value):f}"


def _fmt_plain(value, min_decimals: int = 0) -> str:
    value = to_decimal(value)
    text = format(value.normalize(), "f") if value else "0"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if min_decimals:
        whole, _, frac = text.partition(".")
        text = f"{whole}.{frac.ljust(min_decimals, '0')}"
    return text


def fmt_price(value) -> str:
    """A unit price (BT-146/147/148): 2 to 6 decimals."""
    return _fmt_plain(value, min_decimals=2)


def fmt_quantity(value) -> str:
    """A quantity (BT-129/149): as few decimals as needed, at most 4."""
    return _fmt_plain(value)


def fmt_rate(value) -> str:
    """A VAT rate or percentage: ``20``, ``5.5``, ``2.1``, ``0``."""
    return _fmt_plain(value)


def fmt_date(value) -> str:
    """Format 102: ``YYYYMMDD``."""
    return value.strftime("%Y%m%d")


# ---------------------------------------------------------------------------
# Element helpers
# ---------------------------------------------------------------------------


def xml_text(value) -> str:
    """``value`` as text XML can hold: characters it forbids are dropped."""
    return _NOT_XML.sub("", str(value))


def _q(prefix: str, name: str) -> str:
    return f"{{{NSMAP[prefix]}}}{name}"


def _el(parent, name: str, text=None, **attrib):
    """Append ``ram:name`` (or ``rsm:``/``udt:``/``qdt:`` when prefixed)."""
    prefix, _, local = name.rpartition(":")
    element = etree.SubElement(parent, _q(prefix or "ram", local), attrib)
    if text is not None:
        element.text = xml_text(text)
    return element


def _opt(parent, name: str, text, **attrib):
    """Append the element only when ``text`` is not empty."""
    if text not in (None, ""):
        return _el(parent, name, text, **attrib)
    return None


def _date_time(parent, name: str, value, qualified: bool = False):
    wrapper = _el(parent, name)
    _el(
        wrapper,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        fmt_date(value),
        format="102",
    )
    return wrapper


def _indicator(parent, charge: bool):
    _el(_el(parent, "ChargeIndicator"), "udt:Indicator", "true" if charge else "false")


# ---------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------


def _address(parent, address: Address, name: str = "PostalTradeAddress"):
    element = _el(parent, name)
    _opt(element, "PostcodeCode", address.postcode)
    _opt(element, "LineOne", address.line1)
    _opt(element, "LineTwo", address.line2)
    _opt(element, "LineThree", address.line3)
    _opt(element, "CityName", address.city)
    _el(element, "CountryID", address.country_code)
    _opt(element, "CountrySubDivisionName", address.subdivision)
    return element


def _party(parent, name: str, party: Party):
    element = _el(parent, name)
    _opt(element, "GlobalID", party.siret, schemeID=SCHEME_SIRET)
    _el(element, "Name", party.name)
    _opt(element, "Description", party.legal_info)
    legal_id, scheme = (
        (party.siren, SCHEME_SIREN)
        if party.siren
        else (party.legal_id, party.legal_id_scheme)
    )
    if legal_id or party.trading_name:
        organization = _el(element, "SpecifiedLegalOrganization")
        if legal_id:
            attrib = {"schemeID": scheme} if scheme else {}
            _el(organization, "ID", legal_id, **attrib)
        _opt(organization, "TradingBusinessName", party.trading_name)
    contact = party.contact
    if contact and (contact.name or contact.phone or contact.email):
        trade_contact = _el(element, "DefinedTradeContact")
        _opt(trade_contact, "PersonName", contact.name)
        if contact.phone:
            phone = _el(trade_contact, "TelephoneUniversalCommunication")
            _el(phone, "CompleteNumber", contact.phone)
        if contact.email:
            _el(
                _el(trade_contact, "EmailURIUniversalCommunication"),
                "URIID",
                contact.email,
            )
    _address(element, party.address)
    if party.electronic_address:
        communication = _el(element, "URIUniversalCommunication")
        _el(
            communication,
            "URIID",
            party.electronic_address,
            schemeID=party.electronic_address_scheme,
        )
    if party.vat_id:
        _el(_el(element, "SpecifiedTaxRegistration"), "ID", party.vat_id, schemeID="VA")
    if party.tax_registration_id:
        registration = _el(element, "SpecifiedTaxRegistration")
        _el(registration, "ID", party.tax_registration_id, schemeID="FC")
    return element


# ---------------------------------------------------------------------------
# Document parts
# ---------------------------------------------------------------------------


def _context(root, computed: ComputedInvoice, profile: str):
    context = _el(root, "rsm:ExchangedDocumentContext")
    business = _el(context, "BusinessProcessSpecifiedDocumentContextParameter")
    _el(business, "ID", computed.billing_framework)
    guideline = _el(context, "GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ID", GUIDELINES[profile])


def _note(parent, content: str, subject_code: str = ""):
    note = _el(parent, "IncludedNote")
    _el(note, "Content", content)
    _opt(note, "SubjectCode", subject_code)


def _document(root, invoice: Invoice):
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ID", invoice.number)
    _el(document, "TypeCode", invoice.type_code)
    _date_time(document, "IssueDateTime", invoice.issue_date)
    for note in invoice.notes:
        _note(document, note.content, note.subject_code)
    if invoice.legal_notes is not None:
        _note(document, invoice.legal_notes.recovery_indemnity, "PMT")
        _note(document, invoice.legal_notes.late_penalties, "PMD")
        _note(document, invoice.legal_notes.early_payment_discount, "AAB")
    if invoice.bar_treatment:
        _note(document, invoice.bar_treatment, "BAR")


def _period(parent, start, end):
    if not (start or end):
        return
    period = _el(parent, "BillingSpecifiedPeriod")
    if start:
        _date_time(period, "StartDateTime", start)
    if end:
        _date_time(period, "EndDateTime", end)


def _trade_tax(parent, name: str, tax: Tax, profile: str):
    """The VAT of a line or a document allowance/charge.

    EXTENDED repeats the exemption reason there (its BR-FXEXT-*-08rev rules
    match lines to breakdowns by reason); EN 16931 has it in BG-23 only.
    """
    element = _el(parent, name)
    extended = profile == PROFILE_EXTENDED
    _el(element, "TypeCode", "VAT")
    if extended:
        _opt(element, "ExemptionReason", tax.exemption_reason)
    _el(element, "CategoryCode", tax.category)
    if extended:
        _opt(element, "ExemptionReasonCode", tax.exemption_reason_code)
    if tax.category != "O":  # BR-O-05/06/07: no rate when not subject to VAT
        _el(element, "RateApplicablePercent", fmt_rate(to_decimal(tax.rate)))
    return element


def _allowance_charge(parent, item: ResolvedAllowanceCharge, profile: str = ""):
    """A line allowance/charge, or a document one when ``profile`` is given."""
    element = _el(parent, "SpecifiedTradeAllowanceCharge")
    _indicator(element, item.source.charge)
    if item.percent is not None:
        _el(element, "CalculationPercent", fmt_rate(item.percent))
    if item.base_amount is not None:
        _el(element, "BasisAmount", fmt_amount(item.base_amount))
    _el(element, "ActualAmount", fmt_amount(item.amount))
    _opt(element, "ReasonCode", item.source.reason_code)
    _opt(element, "Reason", item.source.reason)
    if profile:
        _trade_tax(element, "CategoryTradeTax", item.source.tax, profile)


def _line(parent, amounts: LineAmounts, profile: str):
    line = amounts.line
    item = _el(parent, "IncludedSupplyChainTradeLineItem")
    document = _el(item, "AssociatedDocumentLineDocument")
    _el(document, "LineID", amounts.line_id)
    if line.note:
        _note(document, line.note)

    product = _el(item, "SpecifiedTradeProduct")
    _opt(product, "SellerAssignedID", line.seller_item_id)
    _opt(product, "BuyerAssignedID", line.buyer_item_id)
    _el(product, "Name", line.name)
    _opt(product, "Description", line.description)

    agreement = _el(item, "SpecifiedLineTradeAgreement")
    if line.purchase_order_line:
        _el(
            _el(agreement, "BuyerOrderReferencedDocument"),
            "LineID",
            line.purchase_order_line,
        )
    # BT-149 when the prices are given for several units (the line says so,
    # or a price needs more than 6 decimals per unit)
    base_quantity = (
        amounts.base_quantity
        if line.price_base_quantity or amounts.base_quantity != 1
        else None
    )
    if amounts.gross_price is not None:
        gross = _el(agreement, "GrossPriceProductTradePrice")
        _el(gross, "ChargeAmount", fmt_price(amounts.gross_price))
        if base_quantity:
            _el(
                gross,
                "BasisQuantity",
                fmt_quantity(base_quantity),
                unitCode=line.unit_code,
            )
        discount = _el(gross, "AppliedTradeAllowanceCharge")
        _indicator(discount, False)
        _el(discount, "ActualAmount", fmt_price(amounts.price_discount))
    net = _el(agreement, "NetPriceProductTradePrice")
    _el(net, "ChargeAmount", fmt_price(amounts.net_price))
    if base_quantity:
        _el(net, "BasisQuantity", fmt_quantity(base_quantity), unitCode=line.unit_code)

    delivery = _el(item, "SpecifiedLineTradeDelivery")
    _el(
        delivery, "BilledQuantity", fmt_quantity(line.quantity), unitCode=line.unit_code
    )

    settlement = _el(item, "SpecifiedLineTradeSettlement")
    _trade_tax(settlement, "ApplicableTradeTax", line.tax, profile)
    _period(settlement, line.period_start, line.period_end)
    for resolved in amounts.allowances_charges:
        _allowance_charge(settlement, resolved)
    summation = _el(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    _el(summation, "LineTotalAmount", fmt_amount(amounts.net_amount))
    if line.accounting_reference:
        account = _el(settlement, "ReceivableSpecifiedTradeAccountingAccount")
        _el(account, "ID", line.accounting_reference)


def _agreement(parent, invoice: Invoice):
    agreement = _el(parent, "ApplicableHeaderTradeAgreement")
    _opt(agreement, "BuyerReference", invoice.buyer_reference)
    _party(agreement, "SellerTradeParty", invoice.seller)
    _party(agreement, "BuyerTradeParty", invoice.buyer)
    if invoice.sales_order:
        _el(
            _el(agreement, "SellerOrderReferencedDocument"),
            "IssuerAssignedID",
            invoice.sales_order,
        )
    if invoice.purchase_order:
        _el(
            _el(agreement, "BuyerOrderReferencedDocument"),
            "IssuerAssignedID",
            invoice.purchase_order,
        )
    if invoice.contract_reference:
        _el(
            _el(agreement, "ContractReferencedDocument"),
            "IssuerAssignedID",
            invoice.contract_reference,
        )
    if invoice.project_reference:
        project = _el(agreement, "SpecifiedProcuringProject")
        _el(project, "ID", invoice.project_reference)
        _el(project, "Name", "Project reference")


def _ships_elsewhere(computed: ComputedInvoice) -> bool:
    invoice = computed.invoice
    delivery = invoice.delivery
    if delivery is None or delivery.address is None:
        return False
    intra_community = any(b.category == "K" for b in computed.breakdown)
    return intra_community or delivery.address != invoice.buyer.address


def _delivery(parent, computed: ComputedInvoice):
    """BG-13. CII requires the element and PEPPOL-EN16931-R008 refuses it
    empty: without a delivery date or another address, the buyer's address
    is named as the place of delivery (BG-15), which it is."""
    element = _el(parent, "ApplicableHeaderTradeDelivery")
    invoice = computed.invoice
    delivery = invoice.delivery
    if delivery is None or not (delivery.delivery_date or _ships_elsewhere(computed)):
        ship_to = _el(element, "ShipToTradeParty")
        _el(ship_to, "Name", invoice.buyer.name)
        _address(ship_to, invoice.buyer.address)
    elif _ships_elsewhere(computed):
        ship_to = _el(element, "ShipToTradeParty")
        _opt(ship_to, "ID", delivery.location_id)
        _opt(ship_to, "Name", delivery.party_name)
        _address(ship_to, delivery.address)
    if delivery is not None and delivery.delivery_date:
        event = _el(element, "ActualDeliverySupplyChainEvent")
        _date_time(event, "OccurrenceDateTime", delivery.delivery_date)


def _payment_means(parent, invoice: Invoice):
    for means in invoice.payment_means:
        element = _el(parent, "SpecifiedTradeSettlementPaymentMeans")
        _el(element, "TypeCode", means.type_code)
        _opt(element, "Information", means.information)
        if means.debited_iban:
            _el(
                _el(element, "PayerPartyDebtorFinancialAccount"),
                "IBANID",
                means.debited_iban,
            )
        if means.iban:
            account = _el(element, "PayeePartyCreditorFinancialAccount")
            _el(account, "IBANID", means.iban)
            _opt(account, "AccountName", means.account_name)
        if means.bic:
            institution = _el(element, "PayeeSpecifiedCreditorFinancialInstitution")
            _el(institution, "BICID", means.bic)


def _breakdown(parent, computed: ComputedInvoice):
    invoice = computed.invoice
    for line in computed.breakdown:
        tax = _el(parent, "ApplicableTradeTax")
        _el(tax, "CalculatedAmount", fmt_amount(line.tax))
        _el(tax, "TypeCode", "VAT")
        _opt(tax, "ExemptionReason", line.exemption_reason)
        _el(tax, "BasisAmount", fmt_amount(line.basis))
        _el(tax, "CategoryCode", line.category)
        _opt(tax, "ExemptionReasonCode", line.exemption_reason_code)
        if invoice.tax_point_date:
            point = _el(tax, "TaxPointDate")
            _el(point, "udt:DateString", fmt_date(invoice.tax_point_date), format="102")
        if invoice.vat_on_debits:
            _el(tax, "DueDateTypeCode", DUE_DATE_TYPE_DEBITS)
        if line.category != "O":
            _el(tax, "RateApplicablePercent", fmt_rate(line.rate))


def _payment_terms(parent, invoice: Invoice):
    terms = invoice.payment_terms
    mandate = next(
        (m.mandate_reference for m in invoice.payment_means if m.mandate_reference), ""
    )
    if not (terms and (terms.description or terms.due_date)) and not mandate:
        return
    element = _el(parent, "SpecifiedTradePaymentTerms")
    if terms:
        _opt(element, "Description", terms.description)
        if terms.due_date:
            _date_time(element, "DueDateDateTime", terms.due_date)
    _opt(element, "DirectDebitMandateID", mandate)


def _summation(parent, computed: ComputedInvoice):
    invoice, totals = computed.invoice, computed.totals
    element = _el(parent, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(element, "LineTotalAmount", fmt_amount(totals.line_total))
    if computed.allowances_charges:
        _el(element, "ChargeTotalAmount", fmt_amount(totals.charge_total))
        _el(element, "AllowanceTotalAmount", fmt_amount(totals.allowance_total))
    _el(element, "TaxBasisTotalAmount", fmt_amount(totals.tax_basis_total))
    _el(
        element,
        "TaxTotalAmount",
        fmt_amount(totals.tax_total),
        currencyID=invoice.currency,
    )
    if totals.tax_total_eur is not None:
        _el(
            element,
            "TaxTotalAmount",
            fmt_amount(totals.tax_total_eur),
            currencyID="EUR",
        )
    if totals.rounding:
        _el(element, "RoundingAmount", fmt_amount(totals.rounding))
    _el(element, "GrandTotalAmount", fmt_amount(totals.grand_total))
    if totals.prepaid or invoice.already_paid:
        _el(element, "TotalPrepaidAmount", fmt_amount(totals.prepaid))
    _el(element, "DuePayableAmount", fmt_amount(totals.due))


def _settlement(parent, computed: ComputedInvoice, profile: str):
    invoice = computed.invoice
    settlement = _el(parent, "ApplicableHeaderTradeSettlement")
    creditor = next(
        (m.creditor_reference for m in invoice.payment_means if m.creditor_reference),
        "",
    )
    _opt(settlement, "CreditorReferenceID", creditor)
    _opt(settlement, "PaymentReference", invoice.payment_reference)
    if invoice.currency != "EUR":
        _el(settlement, "TaxCurrencyCode", "EUR")
    _el(settlement, "InvoiceCurrencyCode", invoice.currency)
    _payment_means(settlement, invoice)
    _breakdown(settlement, computed)
    _period(settlement, invoice.period_start, invoice.period_end)
    for item in computed.allowances_charges:
        _allowance_charge(settlement, item, profile)
    _payment_terms(settlement, invoice)
    _summation(settlement, computed)
    for preceding in invoice.preceding_invoices:
        reference = _el(settlement, "InvoiceReferencedDocument")
        _el(reference, "IssuerAssignedID", preceding.number)
        if profile == PROFILE_EXTENDED:
            _opt(reference, "TypeCode", preceding.type_code)
        if preceding.issue_date:
            _date_time(
                reference,
                "FormattedIssueDateTime",
                preceding.issue_date,
                qualified=True,
            )


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def build_tree(computed: ComputedInvoice, profile: str = PROFILE_EN16931):
    """The ``rsm:CrossIndustryInvoice`` element of computed amounts."""
    if profile not in PROFILES:
        raise FacturXDataError([f"Unknown profile {profile!r}; use one of {PROFILES}"])
    invoice = computed.invoice
    root = etree.Element(_q("rsm", "CrossIndustryInvoice"), nsmap=NSMAP)
    _context(root, computed, profile)
    _document(root, invoice)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for amounts in computed.lines:
        _line(transaction, amounts, profile)
    _agreement(transaction, invoice)
    _delivery(transaction, computed)
    _settlement(transaction, computed, profile)
    return root


def build_xml(
    invoice: Invoice, profile: str = PROFILE_EN16931, *, check: bool = True
) -> bytes:
    """The Factur-X XML (UTF-8 bytes) of ``invoice`` at ``profile``.

    Raises ``FacturXDataError`` listing every problem ``check_invoice``
    finds, unless ``check`` is False.
    """
    if check:
        problems = check_invoice(invoice)
        if problems:
            raise FacturXDataError(problems)
    root = build_tree(compute(invoice), profile)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)
