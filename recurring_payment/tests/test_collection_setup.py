# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionSetup(CollectionCommon):
    """Payment method per contract and customer, the invoice split key, the
    pre-notification date and sentence, the settings."""

    def test_customer_default_method_applies_to_new_contracts(self):
        self.partner_a.sudo().recurring_payment_token_id = self.token_done
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self.assertEqual(contract.payment_token_id, self.token_done)
        other = self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_error.id
        )
        self.assertEqual(other.payment_token_id, self.token_error)

    def test_payment_method_is_an_invoice_split_key(self):
        Invoicing = self.env["recurring.invoicing"]
        self.assertIn("payment_token_id", Invoicing._get_invoice_split_keys())
        contract = self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_done.id
        )
        header = Invoicing._prepare_invoice_header(contract)
        self.assertEqual(header["payment_token_id"], self.token_done.id)

    def test_contract_without_method_is_not_collected(self):
        with freeze_time("2026-01-01"):
            contract = self._contract("2026-01-01", self.monthly_calendar)
            move = self.env["recurring.invoicing"]._invoice_contracts(
                contract, "2026-01-01", post=True
            )
        self.assertFalse(move.payment_attempt_ids)
        self.assertFalse(move.collection_state)
        self.assertEqual(move._collection_notice(), "")

    def test_direct_debit_waits_for_the_pre_notification_lead_time(self):
        sepa = self.env.ref("payment.payment_method_sepa_direct_debit")
        self.provider.sudo().payment_method_ids |= sepa
        sepa.sudo().active = True
        token = self._token("done", method=sepa)
        self.env.company.sudo().recurring_payment_notice_days = 14
        move = self._invoice(token)
        self.assertEqual(self._attempts(move), [(1, "2026-01-15", "scheduled")])
        self.assertEqual(str(move.collection_date), "2026-01-15")
        self.assertIn("debited on", move._collection_notice())
        self._collect("2026-01-14")
        self.assertFalse(move.sudo().transaction_ids)
        self._collect("2026-01-15")
        self.assertEqual(move.collection_state, "paid")

    def test_card_invoice_states_its_charge(self):
        move = self._invoice(self.token_done)
        notice = move._collection_notice()
        self.assertIn("will be charged on", notice)
        self.assertIn(self.token_done.display_name, notice)

    def test_invoice_pdf_prints_the_notice(self):
        move = self._invoice(self.token_done)
        html = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        self.assertIn("collection_notice", html)

    def test_retry_schedule_is_checked(self):
        company = self.env.company.sudo()
        company.recurring_payment_retry_days = "2, 5"
        self.assertEqual(company._recurring_payment_retry_days(), (2, 5))
        with self.assertRaises(ValidationError):
            company.recurring_payment_retry_days = "7, 3"
        with self.assertRaises(ValidationError):
            company.recurring_payment_notice_days = -1

    def test_no_retry_schedule_means_one_attempt(self):
        self.env.company.sudo().recurring_payment_retry_days = ""
        move = self._invoice(self.token_error)
        self._collect("2026-01-01")
        self.assertEqual(self._attempts(move), [(1, "2026-01-01", "failed")])
        self.assertEqual(move.collection_state, "failed")

    def test_a_new_direct_debit_method_waits_for_its_notice(self):
        move = self._invoice(self.token_error)
        self._collect("2026-01-01")
        sepa = self.env.ref("payment.payment_method_sepa_direct_debit")
        self.provider.sudo().payment_method_ids |= sepa
        sepa.sudo().active = True
        debit = self._token("done", method=sepa)
        with freeze_time("2026-01-02"):
            move.recurring_contract_ids.payment_token_id = debit
        self.assertEqual(self._attempts(move)[-1], (3, "2026-01-16", "scheduled"))
        self._collect("2026-01-15")
        self.assertEqual(move.collection_state, "scheduled")
        self._collect("2026-01-16")
        self.assertEqual(move.collection_state, "paid")
