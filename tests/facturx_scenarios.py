"""Invoices for the Factur-X tests: one French seller, customers, scenarios.

Each scenario is a function returning a ``facturx_model.Invoice`` the way
the Odoo layer will describe an ``account.move``; ``SCENARIOS`` maps a name
to it, with the profile to build it at. Identifiers are well-formed (Luhn
SIREN/SIRET, FR VAT keys) but fictitious.
"""

from datetime import date
from decimal import Decimal

from account_facturx_fr_tools.facturx_model import (
    GOODS,
    SERVICES,
    SUBSCRIPTION,
    Address,
    AllowanceCharge,
    Contact,
    Delivery,
    ExpectedTotals,
    Invoice,
    Line,
    Note,
    Party,
    PaymentMeans,
    PaymentTerms,
    PrecedingInvoice,
    Tax,
    legal_notes,
)

D = Decimal
ISSUE = date(2026, 9, 15)
DUE = date(2026, 10, 15)

VAT_20 = Tax("S", D("20"))
VAT_10 = Tax("S", D("10"))
VAT_5_5 = Tax("S", D("5.5"))
VAT_2_1 = Tax("S", D("2.1"))
EXEMPT_TRAINING = Tax(
    "E",
    D("0"),
    "Exonération de TVA, article 261-4-4° a du CGI (formation professionnelle)",
    "VATEX-FR-CGI261-4",
)
REVERSE_CHARGE = Tax("AE", D("0"), "Autoliquidation", "VATEX-EU-AE")
INTRA_EU_SUPPLY = Tax(
    "K",
    D("0"),
    "Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)",
    "VATEX-EU-IC",
)

SELLER = Party(
    name="Facturo Démo SAS",
    address=Address("FR", "12 rue de la Paix", postcode="75002", city="Paris"),
    siren="123456782",
    siret="12345678200010",
    vat_id="FR11123456782",
    trading_name="Facturo",
    legal_info="SAS au capital de 10 000 € - RCS Paris 123 456 782",
    electronic_address="123456782",
    contact=Contact(
        "Service facturation", "+33 1 23 45 67 89", "factures@facturo.example"
    ),
)
BUYER = Party(
    name="Client Exemple SARL",
    address=Address("FR", "5 avenue Jean Jaurès", postcode="69007", city="Lyon"),
    siren="552081317",
    siret="55208131700018",
    vat_id="FR03552081317",
    electronic_address="552081317_ACHATS",
)
BUYER_DE = Party(
    name="Kunde Beispiel GmbH",
    address=Address("DE", "Hauptstraße 1", postcode="10115", city="Berlin"),
    legal_id="HRB 123456",
    vat_id="DE123456789",
    electronic_address="rechnungen@kunde.example",
    electronic_address_scheme="EM",
)
NOTES = legal_notes(
    D("12.15"), penalty_rate_basis="taux BCE de 2,15 % majoré de 10 points"
)
SEPA_TRANSFER = PaymentMeans(
    "58", iban="FR7630006000011234567890189", bic="AGRIFRPP", account_name="Facturo"
)
TERMS = PaymentTerms("Paiement à 30 jours date de facture", DUE)


def _invoice(number, lines, **values):
    defaults = {
        "number": number,
        "issue_date": ISSUE,
        "seller": SELLER,
        "buyer": BUYER,
        "lines": lines,
        "legal_notes": NOTES,
        "bar_treatment": "B2B",
        "payment_terms": TERMS,
        "payment_means": (SEPA_TRANSFER,),
        "payment_reference": number,
    }
    defaults.update(values)
    return Invoice(**defaults)


def goods_b1():
    """Goods only (B1), delivered to another site on a known date."""
    return _invoice(
        "FAC-2026-0001",
        (
            Line("Ramette papier A4", D("10"), D("4.90"), VAT_20, GOODS, "H87"),
            Line("Toner noir", D("2"), D("89.00"), VAT_20, GOODS, "H87"),
        ),
        purchase_order="PO-4711",
        delivery=Delivery(
            Address("FR", "ZI Nord, quai 3", postcode="69100", city="Villeurbanne"),
            date(2026, 9, 12),
            party_name="Client Exemple - entrepôt",
        ),
        expected=ExpectedTotals(D("227.00"), D("45.40"), D("272.40"), D("272.40")),
    )


def services_s1():
    """Services only (S1); the seller opted for VAT on debits (BT-8)."""
    return _invoice(
        "FAC-2026-0002",
        (
            Line("Audit de sécurité", D("3"), D("850"), VAT_20, SERVICES, "DAY"),
            Line("Support téléphonique", D("7.5"), D("65"), VAT_20, SERVICES, "HUR"),
        ),
        vat_on_debits=True,
        buyer_reference="SERVICE-ACHATS",
    )


def mixed_m1():
    """Goods and services (M1), two rates, a project reference."""
    return _invoice(
        "FAC-2026-0003",
        (
            Line("Borne Wi-Fi", D("4"), D("129.99"), VAT_20, GOODS, "H87"),
            Line("Installation sur site", D("1"), D("450"), VAT_20, SERVICES),
            Line("Travaux de rénovation", D("1"), D("1200"), VAT_10, SERVICES),
        ),
        project_reference="CHANTIER-42",
        delivery=Delivery(delivery_date=date(2026, 9, 10)),
    )


def subscription_periods():
    """A consolidated monthly invoice: subscriptions (S1), periods, direct debit."""
    september = (date(2026, 9, 1), date(2026, 9, 30))
    return _invoice(
        "FAC-2026-0004",
        (
            Line(
                "Abonnement Logiciel Pro - 25 utilisateurs",
                D("25"),
                D("12.00"),
                VAT_20,
                SUBSCRIPTION,
                period_start=september[0],
                period_end=september[1],
                description="Contrat CT-0042, période de septembre 2026",
            ),
            Line(
                "Stockage supplémentaire (prorata du 16 au 30 septembre)",
                D("1"),
                D("4.50"),
                VAT_20,
                SUBSCRIPTION,
                "MON",
                period_start=date(2026, 9, 16),
                period_end=september[1],
            ),
        ),
        period_start=september[0],
        period_end=september[1],
        contract_reference="CT-0042",
        payment_terms=PaymentTerms("Prélèvement SEPA à 15 jours", date(2026, 9, 30)),
        payment_means=(
            PaymentMeans(
                "59",
                mandate_reference="MANDAT-0042",
                creditor_reference="FR12ZZZ123456",
                debited_iban="FR7610107001011234567890129",
            ),
        ),
    )


def credit_note():
    """A credit note (381) for part of a service invoice (BG-3)."""
    return _invoice(
        "AV-2026-0001",
        (Line("Remboursement support non consommé", D("2"), D("65"), VAT_20),),
        type_code="381",
        preceding_invoices=(PrecedingInvoice("FAC-2026-0002", ISSUE, "380"),),
        notes=(Note("Avoir sur la facture FAC-2026-0002", "AAI"),),
    )


DEPOSIT_LINES = (
    Line("Acompte de 30 % sur la commande PO-5000", D("1"), D("900"), VAT_20, GOODS),
)


def deposit_386():
    """A deposit invoice (386) before delivery: B1, due at once."""
    return _invoice(
        "ACP-2026-0001",
        DEPOSIT_LINES,
        type_code="386",
        purchase_order="PO-5000",
        payment_terms=PaymentTerms("Acompte payable à réception", ISSUE),
    )


def final_after_deposit():
    """The final invoice (B4): the whole order, less the deposit invoiced before.

    The deposit is deducted by a negative-quantity line at the same rate, so
    that its VAT, already invoiced, is not charged twice; BG-3 names it.
    """
    return _invoice(
        "FAC-2026-0005",
        (
            Line(
                "Machine à café professionnelle",
                D("2"),
                D("1500"),
                VAT_20,
                GOODS,
                "H87",
            ),
            Line(
                "Déduction de l'acompte ACP-2026-0001",
                D("-1"),
                D("900"),
                VAT_20,
                GOODS,
            ),
        ),
        issue_date=date(2026, 10, 1),
        final_after_deposit=True,
        purchase_order="PO-5000",
        preceding_invoices=(PrecedingInvoice("ACP-2026-0001", ISSUE, "386"),),
        delivery=Delivery(delivery_date=date(2026, 9, 30)),
        payment_terms=PaymentTerms("Solde à 30 jours", date(2026, 10, 31)),
        expected=ExpectedTotals(D("2100.00"), D("420.00"), D("2520.00"), D("2520.00")),
    )


def foreign_currency():
    """An invoice in US dollars: BT-6 EUR and the VAT total in EUR (BT-111)."""
    return _invoice(
        "FAC-2026-0006",
        (Line("Licence annuelle", D("1"), D("1999.99"), VAT_20, SERVICES),),
        currency="USD",
        eur_rate=D("1.0834"),
    )


def intra_eu_reverse_charge():
    """A German customer: services reverse charged (AE), goods shipped (K)."""
    return _invoice(
        "FAC-2026-0007",
        (
            Line(
                "Conseil en architecture logicielle", D("2"), D("1100"), REVERSE_CHARGE
            ),
            Line("Serveur rack 1U", D("1"), D("2450"), INTRA_EU_SUPPLY, GOODS, "H87"),
        ),
        buyer=BUYER_DE,
        bar_treatment="B2BINT",
        delivery=Delivery(BUYER_DE.address, date(2026, 9, 11)),
    )


def exempt_line():
    """An exempt training course (E with its reason) next to a taxed line."""
    return _invoice(
        "FAC-2026-0008",
        (
            Line(
                "Formation Odoo comptabilité (2 jours)",
                D("2"),
                D("700"),
                EXEMPT_TRAINING,
            ),
            Line("Support de cours imprimé", D("8"), D("15"), VAT_5_5, GOODS, "H87"),
        ),
    )


def several_rates_with_discounts():
    """Four rates, price discounts, line and document allowances and charges."""
    return _invoice(
        "FAC-2026-0009",
        (
            Line(
                "Fauteuil de bureau",
                D("3"),
                D("249.90"),
                VAT_20,
                GOODS,
                "H87",
                discount_percent=D("15"),
            ),
            Line(
                "Livres techniques",
                D("5"),
                D("39.00"),
                VAT_5_5,
                GOODS,
                "H87",
                allowances_charges=(
                    AllowanceCharge(
                        percent=D("5"), reason="Remise fidélité", reason_code="95"
                    ),
                ),
            ),
            Line(
                "Abonnement presse",
                D("1"),
                D("120.00"),
                VAT_2_1,
                SUBSCRIPTION,
                period_start=date(2026, 10, 1),
                period_end=date(2027, 9, 30),
            ),
            Line(
                "Repas séminaire",
                D("12"),
                D("27.50"),
                VAT_10,
                SERVICES,
                allowances_charges=(
                    AllowanceCharge(
                        charge=True, amount=D("15"), reason="Service en salle"
                    ),
                ),
            ),
        ),
        allowances_charges=(
            AllowanceCharge(
                percent=D("2"),
                reason="Remise commerciale",
                reason_code="95",
                tax=VAT_20,
            ),
            AllowanceCharge(
                charge=True,
                amount=D("25"),
                reason="Frais de port",
                reason_code="FC",
                tax=VAT_20,
            ),
        ),
        delivery=Delivery(delivery_date=date(2026, 9, 14)),
    )


LONG_NAME = (
    "Prestation « sur mesure » d'intégration & de paramétrage — "
    "ÆØÅ ÄÖÜß ĄĘŁŃ 中文 日本語 한국어 العربية עברית Ελληνικά 🚀 <tag> \"q\" 'a' "
) * 12


def unicode_long_names():
    """Non-ASCII and very long names, XML special characters."""
    buyer = Party(
        name="Société Anonyme des Établissements Œuvres & Fils « Les Forges » " * 4,
        address=Address(
            "FR",
            "Bâtiment Æ, 3ᵉ étage — allée des Érables",
            line2="Lieu-dit « Le Clos »",
            postcode="97400",
            city="Saint-Denis (La Réunion)",
        ),
        siren="987654324",
        vat_id="FR14987654324",
        electronic_address="987654324",
    )
    return _invoice(
        "FAC-2026-0010",
        (
            Line(LONG_NAME, D("1"), D("1500"), VAT_20, description=LONG_NAME * 2),
            Line("Café ☕ et croissants 🥐", D("20"), D("3.20"), VAT_10, GOODS, "H87"),
        ),
        buyer=buyer,
        notes=(Note("Merci pour votre confiance ! Ĉu vi parolas Esperanton? ✓"),),
    )


def amounts_that_round():
    """Prices with 4-6 decimals and quantities with 3-4: rounding at each level."""
    return _invoice(
        "FAC-2026-0011",
        (
            Line("Appels sortants (minutes)", D("1234.5"), D("0.012345"), VAT_20),
            Line("SMS", D("333"), D("0.0449"), VAT_20),
            Line("Données (Go)", D("2.125"), D("1.99"), VAT_20),
            Line("Kilomètres", D("0.3333"), D("0.455"), VAT_10),
            Line("Redevance", D("3"), D("0.335"), VAT_5_5),
        ),
        # 15.24 + 14.95 + 4.23 = 34.42 at 20 % -> 6.884 -> 6.88
        # 0.15 at 10 % -> 0.015 -> 0.02; 1.01 at 5.5 % -> 0.05555 -> 0.06
        expected=ExpectedTotals(D("35.58"), D("6.96"), D("42.54"), D("42.54")),
    )


def already_paid_s2():
    """Paid by card at ordering (S2): prepaid = total, nothing due."""
    return _invoice(
        "FAC-2026-0012",
        (Line("Atelier en ligne", D("1"), D("199"), VAT_20),),
        already_paid=True,
        payment_terms=PaymentTerms("Payé par carte à la commande", ISSUE),
        payment_means=(PaymentMeans("48", information="Carte bancaire"),),
    )


def extended_credit_note():
    """The credit note at the EXTENDED profile (referenced type code written)."""
    return credit_note()


#: name -> (factory, profile)
SCENARIOS = {
    "goods_b1": (goods_b1, "en16931"),
    "services_s1": (services_s1, "en16931"),
    "mixed_m1": (mixed_m1, "en16931"),
    "subscription_periods": (subscription_periods, "en16931"),
    "credit_note": (credit_note, "en16931"),
    "deposit_386": (deposit_386, "en16931"),
    "final_after_deposit": (final_after_deposit, "en16931"),
    "foreign_currency": (foreign_currency, "en16931"),
    "intra_eu_reverse_charge": (intra_eu_reverse_charge, "en16931"),
    "exempt_line": (exempt_line, "en16931"),
    "several_rates_with_discounts": (several_rates_with_discounts, "en16931"),
    "unicode_long_names": (unicode_long_names, "en16931"),
    "amounts_that_round": (amounts_that_round, "en16931"),
    "already_paid_s2": (already_paid_s2, "en16931"),
    "extended_credit_note": (extended_credit_note, "extended"),
}

#: BT-23 each scenario must carry.
FRAMEWORKS = {
    "goods_b1": "B1",
    "services_s1": "S1",
    "mixed_m1": "M1",
    "subscription_periods": "S1",
    "credit_note": "S1",
    "deposit_386": "B1",
    "final_after_deposit": "B4",
    "foreign_currency": "S1",
    "intra_eu_reverse_charge": "M1",
    "exempt_line": "M1",
    "several_rates_with_discounts": "M1",
    "unicode_long_names": "M1",
    "amounts_that_round": "S1",
    "already_paid_s2": "S2",
    "extended_credit_note": "S1",
}


# ---------------------------------------------------------------------------
# Random invoices (seeded): amounts of every shape for the calculation rules
# ---------------------------------------------------------------------------

RANDOM_TAXES = (VAT_20, VAT_20, VAT_10, VAT_5_5, VAT_2_1, EXEMPT_TRAINING)


def _random_decimal(rng, low, high, places):
    scale = 10**places
    return D(rng.randint(low * scale, high * scale)) / scale


def _random_line(rng, position):
    discount = D(0)
    if rng.random() < 0.3:
        discount = _random_decimal(rng, 1, 60, rng.choice((0, 1, 2)))
    # any precision: a net price beyond 6 decimals is written per 10, 100… units
    price_places = rng.choice((0, 2, 3, 4, 6))
    quantity = _random_decimal(rng, 1, 500, rng.choice((0, 1, 2, 4)))
    if rng.random() < 0.1:
        quantity = -quantity
    allowances = ()
    if rng.random() < 0.3:
        allowances = (
            AllowanceCharge(
                charge=rng.random() < 0.5,
                percent=_random_decimal(rng, 1, 20, 1),
                reason="Ajustement",
            ),
        )
    return Line(
        f"Article {position}",
        quantity,
        _random_decimal(rng, 0, 2000, price_places),
        rng.choice(RANDOM_TAXES),
        rng.choice((GOODS, SERVICES, SUBSCRIPTION)),
        discount_percent=discount,
        allowances_charges=allowances,
    )


def random_invoice(seed: int) -> Invoice:
    """A valid invoice with random lines, discounts and document charges."""
    import random

    rng = random.Random(seed)
    lines = tuple(_random_line(rng, i) for i in range(1, rng.randint(1, 8) + 1))
    taxed = [line.tax for line in lines]
    document = []
    for _ in range(rng.randint(0, 2)):
        charge = rng.random() < 0.5
        if rng.random() < 0.5:
            amount = {"amount": _random_decimal(rng, 1, 100, 2)}
        else:
            amount = {"percent": _random_decimal(rng, 1, 10, 2)}
        document.append(
            AllowanceCharge(
                charge=charge,
                reason="Frais" if charge else "Remise",
                tax=rng.choice(taxed),
                **amount,
            )
        )
    return _invoice(
        f"RND-{seed:04d}",
        lines,
        allowances_charges=tuple(document),
        delivery=Delivery(delivery_date=ISSUE),
    )
