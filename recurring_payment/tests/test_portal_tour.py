# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .portal_common import PortalContractMixin


@tagged("post_install", "-at_install")
class TestPortalPaymentMethodTour(PortalContractMixin, HttpCase):
    """In a browser, the customer replaces the contract's failing card with a
    new one through Odoo's payment form (demo provider): the contract carries
    the new token and its unpaid invoice is charged with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._portal_customer("tour_payer", "Tour Payer")
        pm_demo = cls.env.ref("payment_demo.payment_method_demo")
        journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Tour demo",
                "code": "demo",
                "state": "test",
                "is_published": True,
                "allow_tokenization": True,
                "company_id": cls.env.company.id,
                "payment_method_ids": [Command.set(pm_demo.ids)],
                "journal_id": journal.id,
                # the demo provider's forms (payment_demo's data record has them)
                "inline_form_view_id": cls.env.ref("payment_demo.inline_form").id,
                "token_inline_form_view_id": cls.env.ref(
                    "payment_demo.token_inline_form"
                ).id,
            }
        )
        # the form offers this provider's demo method only
        cls.env["payment.provider"].search(
            [("id", "!=", cls.provider.id), ("state", "!=", "disabled")]
        ).write({"state": "disabled"})
        cls.failing = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": pm_demo.id,
                "partner_id": cls.customer.id,
                "provider_ref": "tour-failing",
                "payment_details": "1111",
                "demo_simulated_state": "error",
            }
        )
        cls.contract = cls._portal_contract(
            cls.customer, payment_token_id=cls.failing.id
        )
        cls.move = cls.env["recurring.invoicing"]._invoice_contracts(
            cls.contract, "2026-01-01", post=True
        )

    def _collect(self):
        with patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda self, processed=0, remaining=None, deactivate=False: float("inf"),
        ):
            self.env["recurring.payment.attempt"].sudo()._cron_collect()

    def test_customer_saves_a_new_card_for_the_contract(self):
        move = self.move
        self._collect()
        # the failing card was declined: a retry waits with it
        self.assertEqual(
            move.payment_attempt_ids.mapped("state"), ["failed", "scheduled"]
        )
        self.start_tour(
            f"/my/contracts/{self.contract.id}",
            "recurring_payment_contract_payment_method",
            login="tour_payer",
        )
        token = self.contract.payment_token_id
        self.assertNotEqual(token, self.failing)
        self.assertEqual(token.partner_id, self.customer)
        self.assertEqual(token.provider_id, self.provider)
        self.assertIn("9999", token.display_name)
        # the open invoice is retried at once with the new card
        attempts = move.payment_attempt_ids.sorted("attempt_number")
        self.assertEqual(attempts.mapped("state"), ["failed", "cancelled", "scheduled"])
        self.assertEqual(attempts[-1].token_id, token)
        self.assertEqual(move.payment_token_id, token)
        self._collect()
        self.assertEqual(attempts[-1].state, "done")
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_a_declined_card_is_not_the_contracts(self):
        self.start_tour(
            f"/my/contracts/{self.contract.id}",
            "recurring_payment_contract_payment_method_declined",
            login="tour_payer",
        )
        self.assertEqual(self.contract.payment_token_id, self.failing)
        self.assertEqual(self.move.payment_token_id, self.failing)
