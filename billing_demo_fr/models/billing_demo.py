# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# the company's identity (fictitious, with valid SIRET and VAT keys)
COMPANY_VALUES = {
    "name": "Facturo Démo SAS",
    "street": "12 rue de la Paix",
    "zip": "75002",
    "city": "Paris",
    "phone": "+33 1 84 80 12 34",
    "email": "facturation@facturo-demo.example",
    "website": "https://facturo-demo.example",
    "vat": "FR19812345676",
    "company_registry": "81234567600017",
}
# Factur-X VAT categories (BT-151) of the French chart's zero-rated sale
# taxes: (template xmlid, category, VATEX code, exemption reason)
ZERO_RATED_TAXES = [
    (
        "tva_sale_service_intra_0",
        "AE",
        "VATEX-EU-AE",
        "Autoliquidation, article 283-2 du CGI",
    ),
    (
        "tva_sale_good_intra_0",
        "K",
        "VATEX-EU-IC",
        "Exonération de TVA, article 262 ter I du CGI",
    ),
    (
        "tva_sale_service_export_0",
        "G",
        "VATEX-EU-G",
        "Exonération de TVA, article 262 I du CGI",
    ),
    (
        "tva_sale_good_export_0",
        "G",
        "VATEX-EU-G",
        "Exonération de TVA, article 262 I du CGI",
    ),
]


class BillingDemo(models.AbstractModel):
    """The steps of the French demo that go through business methods.

    Called by the ``<function>`` tags of the demo files, once, at install
    with demo data. Every date is relative to :meth:`_reference_date`, the
    first day of the current month (the last bill run); the same day gives
    the same database.
    """

    _name = "billing.demo"
    _description = "Subscription Billing French Demo"

    @api.model
    def _french(self):
        """The environment the demo's texts are written in: the company's
        language, whatever the language of the user installing."""
        return self.with_context(lang="fr_FR").env

    @api.model
    def _reference_date(self):
        return fields.Date.today().replace(day=1)

    # ------------------------------------------------------------------
    # The French company
    # ------------------------------------------------------------------

    @api.model
    def _setup_company(self):
        """The main company becomes a French company in euros with the French
        chart of accounts, Factur-X and the late-payment terms."""
        company = self.env.ref("base.main_company")
        if company.chart_template == "fr" and company.facturx_enabled:
            return  # done at install; an update must not redo it
        company.write({**COMPANY_VALUES, "country_id": self.env.ref("base.fr").id})
        self._clear_accounting(company)
        # Odoo's own demo companies are set up the same way (try_loading);
        # _load is what it calls, without its warning about a registry still
        # loading (every module this one depends on is loaded here).
        self.env["account.chart.template"]._load("fr", company, install_demo=False)
        euro = self.env.ref("base.EUR")
        company.write(
            {
                "currency_id": euro.id,
                "late_payment_rate_type": "legal",
                "late_payment_indemnity": 40.0,
                "facturx_enabled": True,
            }
        )
        # prices and subscriptions in euros too (the default pricelist was
        # made in the company's former currency)
        domain = [("company_id", "in", (company.id, False))]
        self.env["product.pricelist"].search(domain).currency_id = euro
        # the generic demo's subscriptions (American customers, in English,
        # their invoices removed above) make way for the French ones
        self.env["recurring.contract"].search([("company_id", "=", company.id)]).write(
            {"currency_id": euro.id, "active": False}
        )
        self._complete_rate_table(self._reference_date())
        self._set_zero_rated_categories(company)
        self._speak_french()

    @api.model
    def _clear_accounting(self, company):
        """Remove the entries Odoo's generic demo put in the company, as the
        chart loader does for a company getting its first localisation: a
        company currency cannot change under existing journal items."""
        uninstall = self.with_context(**{MODULE_UNINSTALL_FLAG: True}).env
        domain = [("company_id", "child_of", company.id)]
        for model in ("account.payment", "account.move", "account.bank.statement"):
            uninstall[model].with_context(active_test=False).search(domain).unlink()

    @api.model
    def _complete_rate_table(self, day):
        """Late-payment reference rates up to the half-year of ``day``.

        The seeded table stops at the last published half-year; invoices
        after it cannot be issued. For the demo only, the missing half-years
        repeat the last known rates and say so.
        """
        Rate = self.env["dunning.rate"].sudo()
        last = Rate.search([], order="date_start desc", limit=1)
        if not last:
            return
        start = last.date_start + relativedelta(months=6)
        while start <= day:
            Rate.create(
                {
                    "date_start": start,
                    "ecb_rate": last.ecb_rate,
                    "legal_rate": last.legal_rate,
                    "source": self._french()._(
                        "Demo: rates of %(date)s repeated, to be replaced by the "
                        "published ones",
                        date=last.date_start,
                    ),
                }
            )
            start += relativedelta(months=6)

    @api.model
    def _set_zero_rated_categories(self, company):
        """The Factur-X category of the French chart's zero-rated sale taxes
        (intra-community and export), as a French company sets them."""
        chart = self.env["account.chart.template"]
        for xmlid, category, code, reason in ZERO_RATED_TAXES:
            tax = chart.with_company(company).ref(xmlid, raise_if_not_found=False)
            if tax:
                tax.write(
                    {
                        "facturx_vat_category": category,
                        "facturx_exemption_code": code,
                        "facturx_exemption_reason": reason,
                    }
                )

    @api.model
    def _speak_french(self):
        """The administrator and the company in French when French is
        installed (``--load-language=fr_FR``)."""
        if not self.env["res.lang"]._lang_get("fr_FR"):
            return
        admin = self.env.ref("base.user_admin")
        admin.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        self.env.ref("base.main_company").partner_id.lang = "fr_FR"

    # ------------------------------------------------------------------
    # History: bill runs, payments, dunning runs
    # ------------------------------------------------------------------

    @api.model
    def _run_history(self):
        """Four monthly bill runs (the last on the reference date), the
        invoices of good payers paid on their due date, and three dunning
        runs that bring the late payers to three different levels."""
        company = self.env.ref("base.main_company")
        reference = self._reference_date()
        ref = self.env.ref
        if ref("billing_demo_fr.contract_atelier_hosting").state != "draft":
            return  # done at install; an update must not redo it
        self._start_contracts(reference)
        customers = self.env["res.partner"].browse(
            [
                ref(f"billing_demo_fr.{xmlid}").id
                for xmlid in (
                    "partner_atelier",
                    "partner_boulangeries",
                    "partner_nordlicht",
                    "partner_dubois",
                    "partner_moreau",
                    "partner_lefevre",
                )
            ]
        )
        self._send_usage(reference)
        for months in (3, 2, 1, 0):
            if months == 0:
                self._order_setup(company, reference)
            run = (
                self.env["bill.run"]
                .with_company(company)
                .create(
                    {
                        "date": reference - relativedelta(months=months),
                        "company_id": company.id,
                        "partner_ids": [fields.Command.set(customers.ids)],
                    }
                )
            )
            if months == 0:
                run.action_preview()
            run.action_run()
        self._pay_good_payers(company, reference)
        for days in (40, 20, 0):
            dunning = (
                self.env["dunning.run"]
                .with_company(company)
                .create(
                    {
                        "date": reference - relativedelta(days=days),
                        "company_id": company.id,
                    }
                )
            )
            dunning.with_context(billing_demo_no_commit=True).action_run()

    @api.model
    def _start_contracts(self, reference):
        """Activate the contracts, pause one, terminate another, before the
        first bill run."""
        ref = self.env.ref
        contracts = self.env["recurring.contract"].browse(
            [
                ref(f"billing_demo_fr.{xmlid}").id
                for xmlid in (
                    "contract_atelier_hosting",
                    "contract_atelier_support",
                    "contract_boulangeries_licences",
                    "contract_nordlicht_storage",
                    "contract_dubois_hosting",
                    "contract_moreau_hosting",
                    "contract_lefevre_hosting",
                )
            ]
        )
        contracts.action_activate()
        ref("billing_demo_fr.contract_moreau_hosting")._pause(
            reference - relativedelta(months=1),
            False,
            self._french()._(
                "Office move, service suspended at the customer's request"
            ),
        )
        ref("billing_demo_fr.contract_lefevre_hosting")._terminate(
            reference - relativedelta(months=1, days=1),
            self._french()._("Customer closed its studio"),
            ignore_notice=True,
        )

    @api.model
    def _send_usage(self, reference):
        """Three months of API calls of l'Atelier's hosting, as its gateway
        sends them (a file through the usage import): a few readings a
        week, more each month."""
        contract = self.env.ref("billing_demo_fr.contract_atelier_hosting")
        rows = ["contract,metric,timestamp,quantity,transaction_id"]
        for months in (3, 2, 1):
            month = reference - relativedelta(months=months)
            for day in range(0, 28, 3):
                stamp = month + timedelta(days=day)
                quantity = 120 + 35 * day + 150 * (3 - months)
                rows.append(
                    f"{contract.name},api_calls,{stamp.isoformat()}T09:00:00,"
                    f"{quantity},gw-{stamp.isoformat()}"
                )
        data = io.BytesIO(("\n".join(rows) + "\n").encode())
        self.env["usage.ingestion"]._ingest(data, "csv", "passerelle-api")

    @api.model
    def _order_setup(self, company, reference):
        """A one-off charge ordered during the last month: it joins the
        customer's cycle invoice with the fees and the usage."""
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.env.ref("billing_demo_fr.partner_atelier").id,
                    "company_id": company.id,
                    "date_order": reference - relativedelta(days=10),
                    "client_order_ref": "BC-2026-118",
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": self.env.ref(
                                    "billing_demo_fr.product_setup"
                                ).id,
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()

    @api.model
    def _pay_good_payers(self, company, reference):
        """Customers other than the late payers pay each invoice on its due
        date, when that date has come."""
        late = (
            self.env.ref("billing_demo_fr.partner_boulangeries")
            | self.env.ref("billing_demo_fr.partner_nordlicht")
            | self.env.ref("billing_demo_fr.partner_dubois")
        )
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("commercial_partner_id", "not in", late.ids),
                ("invoice_date_due", "<=", reference),
            ],
            order="invoice_date_due, id",
        )
        for invoice in invoices:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": invoice.invoice_date_due})._create_payments()
