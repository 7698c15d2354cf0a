# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalMandate(HttpCase):
    """The customer sees that the contract is paid by SEPA direct debit: the
    account's last digits, the mandate reference and the notice period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Debtor", "email": "debtor@example.com"}
        )
        new_test_user(
            cls.env,
            login="portal_debtor",
            password="portal_debtor",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
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
        rule = cls.env["recurring.rule"].create({"name": "Portal monthly"})
        product = cls.env["product.product"].create(
            {"name": "Portal Hosting", "type": "service", "list_price": 42.0}
        )
        cls.contract = cls.env["recurring.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": "2026-01-01",
                "rule_id": rule.id,
                "mandate_id": cls.mandate.id,
                "line_ids": [Command.create({"product_id": product.id})],
            }
        )
        cls.contract.action_activate()

    def test_the_contract_page_shows_the_mandate(self):
        self.authenticate("portal_debtor", "portal_debtor")
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="contract_mandate"', page.text)
        self.assertIn("UMR-PORTAL-1", page.text)
        self.assertIn("2606", page.text)
        self.assertNotIn("FR1420041010050500013M02606", page.text)
        self.assertNotIn("are not paid automatically", page.text)
