# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .portal_common import PortalContractMixin


@tagged("post_install", "-at_install")
class TestPortalPaymentMethod(PortalContractMixin, HttpCase):
    """The customer sees the contract's payment method and the attempts, and
    replaces the method with one of their saved ones (not someone else's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._portal_customer("portal_payer", "Portal Payer")
        cls.other = cls.env["res.partner"].create({"name": "Someone Else"})
        pm_demo = cls.env.ref("payment_demo.payment_method_demo")
        provider = cls.env["payment.provider"].create(
            {
                "name": "Portal demo",
                "code": "demo",
                "state": "test",
                "company_id": cls.env.company.id,
                "payment_method_ids": [Command.set(pm_demo.ids)],
            }
        )

        def token(partner, details, state):
            return cls.env["payment.token"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": pm_demo.id,
                    "partner_id": partner.id,
                    "provider_ref": details,
                    "payment_details": details,
                    "demo_simulated_state": state,
                }
            )

        cls.failing = token(cls.customer, "1111", "error")
        cls.working = token(cls.customer, "2222", "done")
        cls.foreign = token(cls.other, "3333", "done")
        cls.contract = cls._portal_contract(
            cls.customer, payment_token_id=cls.failing.id
        )

    def _choose(self, token):
        return self.url_open(
            f"/my/contracts/{self.contract.id}/payment_method",
            data={"token_id": token.id, "csrf_token": http.Request.csrf_token(self)},
        )

    def test_customer_replaces_the_payment_method(self):
        self.authenticate("portal_payer", "portal_payer")
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("contract_payment_method", page.text)
        self.assertIn(self.failing.display_name, page.text)
        self.assertIn("/my/payment_method", page.text)
        self.assertNotIn(self.foreign.display_name, page.text)
        response = self._choose(self.working)
        self.assertEqual(response.status_code, 200)
        self.assertIn("payment_method=saved", response.url)
        self.assertEqual(self.contract.payment_token_id, self.working)

    def test_someone_elses_token_is_refused(self):
        self.authenticate("portal_payer", "portal_payer")
        response = self._choose(self.foreign)
        self.assertIn("payment_method=invalid", response.url)
        self.assertEqual(self.contract.payment_token_id, self.failing)
