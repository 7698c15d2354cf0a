# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionMultiCompany(CollectionCommon):
    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.other = cls.setup_other_company(name="Other Collection Co")
        cls.other_company = cls.other["company"]
        cls.other_provider = cls._demo_provider(cls.other_company, cls.other)
        cls.other_token = cls._token("done", provider=cls.other_provider)
        return result

    def test_each_company_charges_with_its_own_provider_and_sees_its_own(self):
        move = self._invoice(self.token_done)
        other = self.other_company
        other_move = self._other_company_invoice(
            other, payment_token_id=self.other_token.id
        )
        self.assertEqual(other_move.collection_state, "scheduled")
        self._collect("2026-01-01")
        for invoice in (move | other_move).sudo():
            self.assertEqual(invoice.collection_state, "paid")
            self.assertEqual(
                invoice.transaction_ids.provider_id.company_id, invoice.company_id
            )
        attempts = self.env["recurring.payment.attempt"].search([])
        self.assertEqual(attempts.move_id, move)
        with self.assertRaises(AccessError):
            other_move.sudo().payment_attempt_ids.with_user(self.billing_user).read(
                ["state"]
            )

    def test_a_token_of_another_company_is_refused(self):
        with self.assertRaises(UserError):
            self._contract(
                "2026-01-01",
                self.monthly_calendar,
                payment_token_id=self.other_token.id,
            )
