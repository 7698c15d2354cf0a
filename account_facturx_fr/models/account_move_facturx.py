# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Factur-X on customer invoices: pre-flight at posting, the invoice described
for ``tools.facturx_model``, the XML, and the documents issued on demand."""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..tools import facturx_builder, facturx_identifiers, facturx_model
from ..tools.facturx_model import (
    Address,
    Contact,
    Delivery,
    ExpectedTotals,
    Invoice,
    Line,
    Party,
    PaymentMeans,
    PaymentTerms,
    PrecedingInvoice,
    StatedVat,
    Tax,
)

FACTURX_MOVE_TYPES = ("out_invoice", "out_refund")
#: EAS code of an e-mail address (buyers without a SIREN).
EAS_EMAIL = "EM"
#: Member states of the EU (intra-community rules).
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE "
    "SI SK".split()
)


def _dec(value, digits=6):
    """An Odoo float as a Decimal with at most ``digits`` decimals."""
    return Decimal(str(float_round(value or 0.0, precision_digits=digits))).normalize()


# Factur-X is kept apart from account_move.py (bill-run fields) on purpose.
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    facturx_archive_ids = fields.One2many(
        "facturx.archive",
        "move_id",
        string="Factur-X archive",
        readonly=True,
    )

    # -------------------------------------------------------------------------
    # CRUD
    # -------------------------------------------------------------------------

    def _post(self, soft=True):
        facturx_moves = self.filtered(lambda move: move._facturx_applies())
        if facturx_moves:
            facturx_moves._facturx_check_before_post()
        return super()._post(soft=soft)

    def _get_invoice_legal_documents(self, filetype, allow_fallback=False):
        if filetype == "pdf":
            self._facturx_issue_documents()
        return super()._get_invoice_legal_documents(
            filetype, allow_fallback=allow_fallback
        )

    def _get_invoice_legal_documents_all(self, allow_fallback=False):
        self._facturx_issue_documents()
        return super()._get_invoice_legal_documents_all(allow_fallback=allow_fallback)

    # -------------------------------------------------------------------------
    # Actions
    # -------------------------------------------------------------------------

    def action_print_pdf(self):
        """Print gives the legal document: a posted Factur-X invoice is
        issued first, instead of a pro forma rendering."""
        self._facturx_issue_documents()
        return super().action_print_pdf()

    # -------------------------------------------------------------------------
    # Business methods
    # -------------------------------------------------------------------------

    def _facturx_applies(self):
        """Whether this move is issued as Factur-X (customer invoice or credit
        note of a company set up for it)."""
        self.ensure_one()
        return self.company_id.facturx_enabled and self.move_type in FACTURX_MOVE_TYPES

    def _facturx_issue_documents(self):
        """Issue the Factur-X PDF of posted invoices that have none yet, so that
        downloads and the portal give the legal document, not a pro forma."""
        if self.env.context.get("facturx_issuing"):
            return
        to_issue = self.filtered(
            lambda move: move.state == "posted"
            and move._facturx_applies()
            and not move.invoice_pdf_report_id
        )
        if to_issue:
            self.env["account.move.send"].with_context(
                facturx_issuing=True
            )._generate_and_send_invoices(to_issue, sending_methods=["manual"])

    def _facturx_product_lines(self):
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )

    def _facturx_check_before_post(self):
        """Refuse to post when Factur-X data is missing: one message naming
        everything to complete, invoice by invoice."""
        messages = []
        for move in self:
            problems = move._facturx_preflight_problems()
            if problems:
                messages.append(
                    self.env._(
                        "%(invoice)s (%(partner)s):",
                        invoice=move.name
                        if move.name and move.name != "/"
                        else move._get_move_display_name(),
                        partner=move.partner_id.display_name or "",
                    )
                )
                messages.extend(f"- {problem}" for problem in problems)
        if messages:
            raise UserError(
                self.env._(
                    "Factur-X: these invoices cannot be posted until this is "
                    "completed:\n%(problems)s",
                    problems="\n".join(messages),
                )
            )

    def _facturx_party_problems(self, partner, role):
        """What a party lacks for Factur-X (``role``: "seller" or "buyer")."""
        problems = []
        commercial = partner.commercial_partner_id
        name = commercial.display_name
        siren, _siret = facturx_identifiers.split_registry(commercial.company_registry)
        directory_address = self._facturx_directory_address(partner)
        french = commercial.country_id.code == "FR"
        if role == "seller":
            if not siren:
                problems.append(
                    self.env._(
                        "the company %(company)s has no SIREN or SIRET (Company ID, "
                        "9 or 14 digits)",
                        company=name,
                    )
                )
            if not commercial.vat:
                problems.append(
                    self.env._(
                        "the company %(company)s has no VAT number", company=name
                    )
                )
        elif commercial.is_company and french and not siren:
            problems.append(
                self.env._(
                    "the French customer %(partner)s has no SIREN (Company ID, "
                    "9 or 14 digits)",
                    partner=name,
                )
            )
        elif not siren and not commercial.email and not directory_address:
            problems.append(
                self.env._(
                    "the customer %(partner)s has neither a SIREN nor an e-mail "
                    "address for its electronic address",
                    partner=name,
                )
            )
        if directory_address and siren and not directory_address.startswith(siren):
            problems.append(
                self.env._(
                    "the electronic invoicing address %(address)s of %(partner)s "
                    "does not start with its SIREN %(siren)s",
                    address=directory_address,
                    partner=name,
                    siren=siren,
                )
            )
        missing = [
            label
            for label, value in (
                (self.env._("street"), commercial.street),
                (self.env._("ZIP"), commercial.zip),
                (self.env._("city"), commercial.city),
                (self.env._("country"), commercial.country_id),
            )
            if not value
        ]
        if missing:
            problems.append(
                self.env._(
                    "the address of %(partner)s lacks: %(fields)s",
                    partner=name,
                    fields=", ".join(missing),
                )
            )
        return problems

    def _facturx_preflight_problems(self):
        """Translated list of what prevents issuing this move as Factur-X."""
        self.ensure_one()
        problems = self._facturx_party_problems(self.company_id.partner_id, "seller")
        problems += self._facturx_party_problems(self.partner_id, "buyer")
        # The late-payment mentions state the rule: they never wait for a
        # row of the rate table, so they are no pre-flight problem.
        if self.currency_id.name != "EUR" and self.company_id.currency_id.name != "EUR":
            problems.append(
                self.env._(
                    "Factur-X needs the VAT total in EUR: the company currency "
                    "is not EUR"
                )
            )
        lines = self._facturx_product_lines()
        if not lines:
            problems.append(self.env._("the invoice has no product line"))
        buyer_vat_needed = False
        for line in lines:
            taxes = line.tax_ids
            label = line.name or line.product_id.display_name or ""
            if len(taxes) != 1:
                problems.append(
                    self.env._(
                        "line %(line)s must carry exactly one VAT tax",
                        line=label,
                    )
                )
                continue
            category = taxes._facturx_category()
            if taxes.amount_type != "percent":
                problems.append(
                    self.env._("the tax %(tax)s is not a percentage", tax=taxes.name)
                )
            if not category:
                problems.append(
                    self.env._(
                        "the tax %(tax)s has a 0 %% rate: choose its Factur-X VAT "
                        "category",
                        tax=taxes.name,
                    )
                )
            elif category in facturx_model.CATEGORIES_WITH_EXEMPTION_REASON and not (
                any(taxes._facturx_exemption())
            ):
                problems.append(
                    self.env._(
                        "the tax %(tax)s needs its VAT exemption reason",
                        tax=taxes.name,
                    )
                )
            buyer_vat_needed |= category in ("AE", "K")
        if (
            self._facturx_intra_community(lines)
            and not self.delivery_date
            and not any(lines.mapped("service_start_date"))
        ):
            problems.append(
                self.env._("an intra-community supply needs its delivery date")
            )
        if buyer_vat_needed and not self.commercial_partner_id.vat:
            problems.append(
                self.env._(
                    "reverse charge and intra-community supplies need the VAT number "
                    "of %(partner)s",
                    partner=self.commercial_partner_id.display_name,
                )
            )
        if self.move_type == "out_refund" and not self.reversed_entry_id:
            problems.append(
                self.env._("a credit note must reference the invoice it credits")
            )
        return problems

    # -------------------------------------------------------------------------
    # The invoice as tools.facturx_model sees it
    # -------------------------------------------------------------------------

    @api.model
    def _facturx_address(self, partner):
        return Address(
            country_code=partner.country_id.code or "",
            line1=partner.street or "",
            line2=partner.street2 or "",
            postcode=partner.zip or "",
            city=partner.city or "",
            subdivision=partner.state_id.name or "",
        )

    @api.model
    def _facturx_intra_community(self, lines):
        """Whether the lines hold an intra-community supply (category K)."""
        return any(line.tax_ids[:1]._facturx_category() == "K" for line in lines)

    @api.model
    def _facturx_directory_address(self, partner):
        """The address of the French directory (scheme 0225) set on the
        partner's e-invoicing settings, else on its company: a SIREN with a
        routing suffix, say; "" if none."""
        for candidate in (partner, partner.commercial_partner_id):
            if (
                candidate.peppol_eas == facturx_model.EAS_FR_DIRECTORY
                and candidate.peppol_endpoint
            ):
                return candidate.peppol_endpoint
        return ""

    @api.model
    def _facturx_party(self, partner, seller=False):
        """BT-34 / BT-49: the directory address set on the partner, else its
        SIREN in the directory's scheme, else its e-mail address."""
        commercial = partner.commercial_partner_id
        siren, siret = facturx_identifiers.split_registry(commercial.company_registry)
        directory_address = self._facturx_directory_address(partner)
        if directory_address:
            address, scheme = directory_address, facturx_model.EAS_FR_DIRECTORY
        elif siren:
            address, scheme = siren, facturx_model.EAS_FR_DIRECTORY
        else:
            address, scheme = commercial.email or "", EAS_EMAIL
        contact = None
        if seller and (commercial.email or commercial.phone):
            contact = Contact(
                email=commercial.email or "", phone=commercial.phone or ""
            )
        return Party(
            name=commercial.name,
            address=self._facturx_address(commercial),
            siren=siren,
            siret=siret,
            vat_id=commercial.vat or "",
            electronic_address=address,
            electronic_address_scheme=scheme,
            contact=contact,
        )

    def _facturx_line_nature(self, line):
        if line.service_start_date:
            return facturx_model.SUBSCRIPTION
        if line.product_id.type == "consu":
            return facturx_model.GOODS
        return facturx_model.SERVICES

    def _facturx_tax(self, tax):
        category = tax._facturx_category()
        reason, code = tax._facturx_exemption()
        zero = category in facturx_model.ZERO_RATE_CATEGORIES or category == "O"
        exempt = category in facturx_model.CATEGORIES_WITH_EXEMPTION_REASON
        return Tax(
            category=category,
            rate=Decimal("0") if zero else _dec(tax.amount, 4),
            exemption_reason=reason if exempt else "",
            exemption_reason_code=code if exempt else "",
        )

    def _facturx_line(self, line, position):
        """The line as ``facturx_model.Line``; its net amount BT-131 is the
        line subtotal as Odoo computed it, whatever the price precision, the
        discount or a tax included in the price."""
        quantity, price = line.quantity, line.price_unit
        tax = line.tax_ids[:1]
        if tax.price_include:
            # the net unit price the line subtotal was computed from
            price = line.price_subtotal / quantity if quantity else 0.0
            discount = 0.0
        else:
            discount = line.discount
        if price < 0:
            quantity, price = -quantity, -price
        return Line(
            name=(line.product_id.name or line.name or "").strip()[:255] or "-",
            description=line.name or "",
            quantity=_dec(quantity, 4),
            unit_price=_dec(price, 10),
            discount_percent=_dec(discount, 4),
            net_amount=_dec(line.price_subtotal, line.currency_id.decimal_places),
            tax=self._facturx_tax(tax),
            nature=self._facturx_line_nature(line),
            period_start=line.service_start_date or None,
            period_end=line.service_end_date or None,
            seller_item_id=line.product_id.default_code or "",
            line_id=str(position),
        )

    def _facturx_deposit_info(self):
        """(is a deposit invoice, deposit invoices deducted by this one)."""
        if "is_downpayment" not in self.env["account.move.line"]._fields:
            return False, self.browse()
        lines = self._facturx_product_lines()
        if self.move_type == "out_invoice" and self._is_downpayment():
            return True, self.browse()
        deductions = lines.filtered(
            lambda line: line.is_downpayment and line.quantity < 0
        )
        deposits = deductions.sale_line_ids.invoice_lines.move_id.filtered(
            lambda move: move != self
            and move.state == "posted"
            and move._is_downpayment()
        )
        return False, deposits

    def _facturx_invoice(self):
        """This move as a ``facturx_model.Invoice``."""
        self.ensure_one()
        company = self.company_id
        lines = self._facturx_product_lines()
        invoice_date = self.invoice_date or fields.Date.context_today(self)
        notes = facturx_model.legal_notes(
            **company._get_late_payment_terms(invoice_date)
        )
        is_deposit, deposits = self._facturx_deposit_info()
        preceding = []
        if self.move_type == "out_refund" and self.reversed_entry_id:
            origin = self.reversed_entry_id
            preceding.append(PrecedingInvoice(origin.name, origin.invoice_date or None))
        preceding += [
            PrecedingInvoice(deposit.name, deposit.invoice_date or None)
            for deposit in deposits
        ]
        if self.move_type == "out_refund":
            type_code = facturx_model.CREDIT_NOTE
        elif is_deposit:
            type_code = facturx_model.DEPOSIT_INVOICE
        else:
            type_code = facturx_model.INVOICE
        starts = [d for d in lines.mapped("service_start_date") if d]
        ends = [d for d in lines.mapped("service_end_date") if d]
        buyer = self._facturx_party(self.partner_id)
        commercial = self.commercial_partner_id
        delivery = None
        shipping = self.partner_shipping_id or self.partner_id
        elsewhere = shipping != self.partner_id and bool(shipping.street)
        intra_community = self._facturx_intra_community(lines)
        if elsewhere or intra_community or self.delivery_date:
            with_address = elsewhere or intra_community
            delivery = Delivery(
                address=self._facturx_address(shipping) if with_address else None,
                party_name=(shipping.name or "") if with_address else "",
                delivery_date=self.delivery_date or None,
            )
        bank = self.partner_bank_id
        iban = facturx_identifiers.looks_like_iban(bank.acc_number)
        payment_means = (
            [
                PaymentMeans(
                    type_code="58",
                    iban=iban,
                    bic=bank.bank_id.bic or "",
                    account_name=bank.acc_holder_name or company.name,
                )
            ]
            if iban
            else []
        )
        tax_total_eur = None
        if self.currency_id.name != "EUR":
            tax_total_eur = _dec(abs(self.amount_tax_signed), 2)
        return Invoice(
            number=self.name,
            issue_date=invoice_date,
            seller=self._facturx_party(company.partner_id, seller=True),
            buyer=buyer,
            lines=[self._facturx_line(line, n) for n, line in enumerate(lines, 1)],
            legal_notes=notes,
            type_code=type_code,
            currency=self.currency_id.name,
            final_after_deposit=bool(deposits),
            bar_treatment=facturx_identifiers.bar_treatment(
                is_company=commercial.is_company,
                country_code=commercial.country_id.code or "",
                siren=buyer.siren,
            ),
            buyer_reference=self.buyer_reference or "",
            purchase_order=self.purchase_order_reference or "",
            period_start=min(starts) if starts else None,
            period_end=max(ends) if ends else None,
            delivery=delivery,
            preceding_invoices=preceding,
            payment_terms=PaymentTerms(
                description=self.invoice_payment_term_id.name or "",
                due_date=self.invoice_date_due or None,
            ),
            payment_means=payment_means,
            payment_reference=self.payment_reference or self.name,
            vat_on_debits=company.vat_on_debits,
            tax_total_eur=tax_total_eur,
            expected=ExpectedTotals(
                untaxed=_dec(self.amount_untaxed, 2),
                tax=_dec(self.amount_tax, 2),
                total=_dec(self.amount_total, 2),
            ),
            vat_amounts=self._facturx_vat_amounts(lines),
        )

    def _facturx_vat_amounts(self, lines):
        """The invoice's own VAT base and amount per Factur-X category and
        rate, from its accounting lines: what the company's tax rounding
        (per line or global) made of them."""
        sign = self.direction_sign
        bases, taxes = {}, {}

        def key(tax):
            described = self._facturx_tax(tax)
            return described.category, described.rate

        for line in lines:
            line_key = key(line.tax_ids[:1])
            bases[line_key] = bases.get(line_key, 0.0) + line.amount_currency * sign
        for line in self.line_ids:
            if line.display_type == "tax":
                line_key = key(line.tax_line_id)
                taxes[line_key] = taxes.get(line_key, 0.0) + line.amount_currency * sign
        digits = self.currency_id.decimal_places
        return [
            StatedVat(
                category=category,
                rate=rate,
                basis=_dec(basis, digits),
                tax=_dec(taxes.get((category, rate), 0.0), digits),
            )
            for (category, rate), basis in bases.items()
        ]

    def _facturx_xml(self):
        """The Factur-X EN 16931 XML of this move (raises ``FacturXDataError``)."""
        self.ensure_one()
        return facturx_builder.build_xml(self._facturx_invoice())
