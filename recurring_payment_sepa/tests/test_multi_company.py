# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SepaCommon


@tagged("post_install", "-at_install")
class TestSepaMultiCompany(SepaCommon):
    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        eur = cls.env.ref("base.EUR")
        cls.other = cls.setup_other_company(name="Other SEPA Co", currency_id=eur.id)
        cls.other_company = cls.other["company"]
        cls.other_mode = cls._sepa_setup(
            cls.other_company,
            cls.other,
            "FR7630004000031234567890143",
            ics="FR72ZZZ123456",
        )
        cls.other_mandate = cls._mandate(
            cls.partner_a,
            "DE89370400440532013000",
            "UMR-OTHER",
            company=cls.other_company,
        )
        return result

    def test_each_company_debits_in_its_own_order(self):
        move = self._debit_invoice()
        other = self.other_company
        other_move = self._other_company_invoice(
            other, mandate_id=self.other_mandate.id
        )
        self.assertEqual(other_move.payment_mode_id, self.other_mode)
        self.assertIn("FR72ZZZ123456", other_move.sudo()._collection_notice())
        self._order_debits("2026-01-15")
        orders = (move | other_move).sudo().payment_attempt_ids.payment_order_id
        self.assertEqual(len(orders), 2)
        for invoice in (move | other_move).sudo():
            order = invoice.payment_attempt_ids.payment_order_id
            self.assertEqual(order.company_id, invoice.company_id)
            self.assertEqual(order.payment_line_ids.move_line_id.move_id, invoice)
        with self.assertRaises(AccessError):
            other_move.sudo().payment_attempt_ids.with_user(self.billing_user).read(
                ["state"]
            )

    def test_a_mandate_of_another_company_is_refused(self):
        with self.assertRaises(UserError):
            self._contract(
                "2026-01-01",
                self.monthly_calendar,
                mandate_id=self.other_mandate.id,
            )
