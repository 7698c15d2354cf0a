# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.consolidated_invoice.tests.common import ConsolidationCommon
from odoo.addons.recurring_payment.tests.common import CollectionCommon


@tagged("post_install", "-at_install")
class TestBillRunCollection(ConsolidationCommon, CollectionCommon):
    """The bill run preview says how each invoice will be paid and when, the
    run schedules exactly that, and the run says what it started."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.policy.sudo().auto_post = True
        cls.partner_a.sudo().email = "partner_a@example.com"
        cls.token_card = (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": cls.provider.id,
                    "payment_method_id": cls.pm_demo.id,
                    "partner_id": cls.partner_a.id,
                    "provider_ref": "demo-card",
                    "payment_details": "5555",
                    "demo_simulated_state": "done",
                }
            )
        )
        return result

    def _preview(self, day):
        with freeze_time(day):
            run = self.env["bill.run"].create({"date": day})
            run.action_preview()
        return run

    def _execute(self, run, day):
        with freeze_time(day), self._no_commit():
            run._start()
            run._process()
        self.assertEqual(run.state, "done")
        return run.customer_ids.invoice_ids

    @staticmethod
    def _previewed(customer):
        return {
            line.contract_id: (line.payment_token_id, line.collection_date)
            for line in customer.preview_line_ids
        }

    @staticmethod
    def _scheduled(moves):
        return {
            contract: (move.payment_token_id, move.collection_date)
            for move in moves
            for contract in move.recurring_contract_ids
        }

    def test_two_methods_two_invoices_previewed_as_the_run_schedules_them(self):
        first = self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_done.id
        )
        second = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            lines=[{"product_id": self.support.id}],
            payment_token_id=self.token_card.id,
        )
        run = self._preview("2026-01-01")
        customer = run.customer_ids
        self.assertEqual(customer.preview_invoice_count, 2)
        # the preview says why the customer gets two invoices
        self.assertEqual(customer.split_reason, "Automatic payment method")
        previewed = self._previewed(customer)
        self.assertEqual(
            previewed,
            {
                first: (self.token_done, self._date("2026-01-01")),
                second: (self.token_card, self._date("2026-01-01")),
            },
        )
        self.assertEqual(customer.preview_collect_count, 2)
        self.assertEqual(run.preview_collect_count, 2)
        # taxes included: 100 + 15 % and 30 + 15 %
        self.assertAlmostEqual(run.preview_collect_amount, 149.5)
        self.assertFalse(run.collect_count)

        moves = self._execute(run, "2026-01-01")
        self.assertEqual(len(moves), 2)
        self.assertEqual(self._scheduled(moves), previewed)
        self.assertEqual(set(moves.mapped("collection_state")), {"scheduled"})
        self.assertEqual(run.collect_count, 2)
        self.assertEqual(customer.collect_count, 2)
        self.assertAlmostEqual(run.collect_amount, sum(moves.mapped("amount_total")))
        self.assertAlmostEqual(run.collect_amount, run.preview_collect_amount)
        # the run's summary says so
        self.assertIn(
            "Automatic payment scheduled for 2 invoices",
            " ".join(run.message_ids.mapped("body")),
        )

    def test_direct_debit_previewed_after_notice_and_due_date(self):
        sepa = self.env.ref("payment.payment_method_sepa_direct_debit")
        self.provider.sudo().payment_method_ids |= sepa
        sepa.sudo().active = True
        debit = self._token("done", method=sepa)
        self.env.company.sudo().recurring_payment_notice_days = 14
        term = self.env.ref("account.account_payment_term_30days")
        debited = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            payment_token_id=debit.id,
            payment_term_id=term.id,
        )
        unpaid = self._contract(
            "2026-01-01", self.monthly_calendar, partner_id=self.partner_b.id
        )
        run = self._preview("2026-01-01")
        by_partner = {c.partner_id: c for c in run.customer_ids}
        previewed = self._previewed(by_partner[self.partner_a])
        # due on the 31st, later than the 14 days' notice
        self.assertEqual(previewed, {debited: (debit, self._date("2026-01-31"))})
        self.assertEqual(
            self._previewed(by_partner[self.partner_b]),
            {unpaid: (self.env["payment.token"], False)},
        )
        self.assertEqual(run.preview_collect_count, 1)
        self.assertAlmostEqual(run.preview_collect_amount, 115.0)

        moves = self._execute(run, "2026-01-01")
        collected = moves.filtered("payment_token_id")
        self.assertEqual(self._scheduled(collected), previewed)
        self.assertEqual(run.collect_count, 1)
        self.assertAlmostEqual(run.collect_amount, 115.0)

    def test_invoices_the_run_does_not_post_are_not_announced(self):
        self.policy.sudo().auto_post = False
        contract = self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_done.id
        )
        run = self._preview("2026-01-01")
        self.assertEqual(
            self._previewed(run.customer_ids),
            {contract: (self.token_done, False)},
        )
        self.assertFalse(run.preview_collect_count)
        self._execute(run, "2026-01-01")
        self.assertFalse(run.collect_count)

    def test_the_run_sends_the_pre_notification_in_french(self):
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo()._load_module_terms(
            ["recurring_payment"], ["fr_FR"], overwrite=True
        )
        self.partner_a.sudo().lang = "fr_FR"
        self.policy.sudo().auto_send = True
        self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_done.id
        )
        run = self._preview("2026-01-01")
        move = self._execute(run, "2026-01-01")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "account.move"), ("res_id", "=", move.id)])
        )
        message = move.message_ids.filtered(lambda m: "collection_notice" in m.body)
        self.assertEqual(len(message), 1)
        self.assertIn("seront débités le 01/01/2026", message.body)
        self.assertIn(self.token_done.display_name, message.body)
        self.assertTrue(mail)
        self.assertIn("seront débités le 01/01/2026", mail.body_html)

    @staticmethod
    def _date(text):
        return fields.Date.to_date(text)
