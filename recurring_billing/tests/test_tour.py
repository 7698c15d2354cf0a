# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestContractTour(HttpCase):
    def test_create_activate_and_invoice_from_the_kanban(self):
        new_test_user(
            self.env,
            login="tour_biller",
            password="tour_biller",
            groups="recurring_billing.group_billing_user",
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        self.env["recurring.rule"].create(
            {"name": "Tour Monthly", "unit": "month", "billing_mode": "anniversary"}
        )
        self.env["product.product"].create(
            {
                "name": "Tour Hosting",
                "type": "service",
                "list_price": 80.0,
                "recurring_ok": True,
                "taxes_id": [Command.clear()],
            }
        )
        self.start_tour(
            "/odoo/action-recurring_billing.recurring_contract_action",
            "recurring_contract_tour",
            login="tour_biller",
        )
        contract = self.env["recurring.contract"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(contract.state, "active")
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 80.0)
