# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionNoticeMail(CollectionCommon):
    """The invoice email carries the pre-notification (amount, date, method)
    under Odoo's own invoice template, in the customer's language."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.partner_a.sudo().email = "partner_a@example.com"
        return result

    def _send(self, move):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"sending_methods": ["email"]})
        )
        body = wizard.body
        with freeze_time("2026-01-01"):
            wizard.action_send_and_print(allow_fallback_pdf=True)
        message = move.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.partner_ids
        )[:1]
        return body, message

    def test_the_send_wizard_mail_states_the_charge(self):
        move = self._invoice(self.token_done)
        body, message = self._send(move)
        notice = move._collection_notice()
        self.assertIn("will be charged on", notice)
        self.assertIn(self.token_done.display_name, notice)
        for html in (body, message.body):
            self.assertIn('id="collection_notice"', html)
            self.assertIn("will be charged on", html)
            self.assertIn(self.token_done.display_name, html)
            # Odoo's template is kept, the notice added inside its outer div
            self.assertIn(move.name, html)
            self.assertNotIn("&lt;", html)
            self.assertRegex(str(html), r'collection_notice".*</p>\s*</div>')

    def test_the_mail_states_the_debit_in_french(self):
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo()._load_module_terms(
            ["recurring_payment"], ["fr_FR"], overwrite=True
        )
        self.partner_a.sudo().lang = "fr_FR"
        sepa = self.env.ref("payment.payment_method_sepa_direct_debit")
        self.provider.sudo().payment_method_ids |= sepa
        sepa.sudo().active = True
        debit = self._token("done", method=sepa)
        self.env.company.sudo().recurring_payment_notice_days = 14
        move = self._invoice(debit)
        self.assertEqual(str(move.collection_date), "2026-01-15")
        body, message = self._send(move)
        for html in (body, message.body):
            self.assertIn("seront prélevés le 15/01/2026", html)
            self.assertIn(debit.display_name, html)

    def test_an_invoice_without_automatic_payment_has_no_notice(self):
        with freeze_time("2026-01-01"):
            contract = self._contract("2026-01-01", self.monthly_calendar)
            move = self.env["recurring.invoicing"]._invoice_contracts(
                contract, "2026-01-01", post=True
            )
        body, message = self._send(move)
        self.assertNotIn("collection_notice", body)
        self.assertNotIn("collection_notice", message.body)
