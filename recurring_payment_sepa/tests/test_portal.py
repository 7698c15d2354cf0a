# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.recurring_payment.tests.portal_common import PortalContractMixin


@tagged("post_install", "-at_install")
class TestPortalMandate(PortalContractMixin, HttpCase):
    """The customer sees that the contract is paid by SEPA direct debit: the
    account's last digits, the mandate reference and the notice period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._portal_customer("portal_debtor", "Portal Debtor")
        bank = cls.env["res.bank"].create({"name": "Banque", "bic": "AGRIFRPPXXX"})
        account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR14 2004 1010 0505 0001 3M02 606",
                "bank_id": bank.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.mandate = cls.env["account.banking.mandate"].create(
            {
                "format": "sepa",
                "type": "recurrent",
                "scheme": "CORE",
                "recurrent_sequence_type": "first",
                "signature_date": "2025-12-01",
                "partner_bank_id": account.id,
                "state": "valid",
                "unique_mandate_reference": "UMR-PORTAL-1",
            }
        )
        cls.contract = cls._portal_contract(cls.customer, mandate_id=cls.mandate.id)

    def test_the_contract_page_shows_the_mandate(self):
        self.authenticate("portal_debtor", "portal_debtor")
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="contract_mandate"', page.text)
        self.assertIn("UMR-PORTAL-1", page.text)
        self.assertIn("2606", page.text)
        self.assertNotIn("FR1420041010050500013M02606", page.text)
        self.assertNotIn("are not paid automatically", page.text)
