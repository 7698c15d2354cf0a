# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tools.misc import file_path

from odoo.addons.recurring_payment.tests.common import CollectionCommon

SDD = "account_banking_sepa_direct_debit"


class SepaMixin:
    """SEPA set-up and steps, for test classes of any base."""

    @classmethod
    def _sepa_setup(cls, company, company_data, iban, ics="FR78ZZZ424242"):
        """The company's ICS, bank account, SEPA journal and payment mode."""
        cls.sdd_method = cls.env.ref(f"{SDD}.sepa_direct_debit")
        if not getattr(cls, "bank", None):
            cls.bank = (
                cls.env["res.bank"]
                .sudo()
                .create({"name": "Banque", "bic": "AGRIFRPPXXX"})
            )
        company = company.sudo()
        company.sepa_creditor_identifier = ics
        account = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": iban,
                    "bank_id": cls.bank.id,
                    "partner_id": company.partner_id.id,
                    "company_id": company.id,
                }
            )
        )
        journal = company_data["default_journal_bank"].sudo()
        journal.write(
            {
                "bank_account_id": account.id,
                "inbound_payment_method_line_ids": [
                    Command.create({"payment_method_id": cls.sdd_method.id})
                ],
            }
        )
        return (
            cls.env["account.payment.mode"]
            .sudo()
            .create(
                {
                    "name": f"SEPA direct debit {company.name}",
                    "company_id": company.id,
                    "payment_method_id": cls.sdd_method.id,
                    "bank_account_link": "fixed",
                    "fixed_journal_id": journal.id,
                }
            )
        )

    @classmethod
    def _mandate(cls, partner, iban, reference, company=None, **values):
        company = company or cls.env.company
        bank_account = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": iban,
                    "bank_id": cls.bank.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                }
            )
        )
        return (
            cls.env["account.banking.mandate"]
            .sudo()
            .create(
                {
                    "format": "sepa",
                    "type": "recurrent",
                    "scheme": "CORE",
                    "recurrent_sequence_type": "first",
                    "signature_date": "2025-12-01",
                    "partner_bank_id": bank_account.id,
                    "company_id": company.id,
                    "state": "valid",
                    "unique_mandate_reference": reference,
                    **values,
                }
            )
        )

    def _order_debits(self, day):
        """Run the cron that puts the due debits into payment orders."""
        with freeze_time(day), self._no_commit():
            self.env["recurring.payment.attempt"].sudo()._cron_sepa_collect()

    def _send_order(self, order, day):
        """Confirm the order, generate its pain.008 and mark it uploaded, as
        the accountant does; returns the file's XML root."""
        order = order.sudo()
        with freeze_time(day):
            order.draft2open()
            action = order.open2generated()
            attachment = self.env["ir.attachment"].sudo().browse(action["res_id"])
            order.generated2uploaded()
        return etree.fromstring(base64.b64decode(attachment.datas))

    def _assert_valid_pain(self, root, version="pain.008.001.02"):
        """The file is valid against the ISO 20022 schema OCA ships."""
        path = file_path(f"{SDD}/data/{version}.xsd")
        with open(path, "rb") as handle:
            schema = etree.XMLSchema(etree.parse(handle))
        schema.assertValid(root)


class SepaCommon(SepaMixin, CollectionCommon):
    """A company in euros with a creditor identifier, a bank journal that
    collects SEPA direct debits, the SEPA direct debit payment mode, and two
    valid mandates of partner_a (two bank accounts)."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls.env.ref("base.EUR")
        eur.active = True
        kwargs.setdefault("currency_id", eur.id)
        return super().setup_independent_company(**kwargs)

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.payment_mode = cls._sepa_setup(
            cls.env.company, cls.company_data, "FR7630006000011234567890189"
        )
        cls.mandate = cls._mandate(
            cls.partner_a, "FR1420041010050500013M02606", "UMR-A"
        )
        cls.mandate_2 = cls._mandate(
            cls.partner_a, "FR7610107001011234567890129", "UMR-A2"
        )
        return result

    def _debit_invoice(self, mandate=None, day="2026-01-01"):
        """Bill a new monthly contract paid under ``mandate`` on ``day``."""
        with freeze_time(day):
            contract = self._contract(
                day, self.monthly_calendar, mandate_id=(mandate or self.mandate).id
            )
            moves = self.env["recurring.invoicing"]._invoice_contracts(
                contract, day, post=True
            )
        self.assertEqual(len(moves), 1)
        return moves
