# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestSaleOrder(RecurringBillingCommon):
    @classmethod
    def _setup_billing_data(cls):
        cls.salesman = new_test_user(
            cls.env,
            login="rb_salesman",
            groups="sales_team.group_sale_salesman,recurring_billing.group_billing_user",
        )
        cls.setup_fee = cls._create_product(name="Setup", type="service", lst_price=50)

    def _order(self, products, **values):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.partner_a.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": qty})
                        for p, qty in products
                    ],
                    **values,
                }
            )
        )

    def test_confirming_creates_a_contract(self):
        with freeze_time("2026-02-01"):
            order = self._order([(self.hosting, 2), (self.setup_fee, 1)])
            order.action_confirm()
        contract = order.contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.sale_order_ids, order)
        self.assertEqual(contract.rule_id, self.monthly_calendar)
        self.assertEqual(str(contract.date_start), "2026-02-01")
        self.assertEqual(contract.line_ids.product_id, self.hosting)
        self.assertEqual(contract.line_ids.quantity, 2)
        self.assertEqual(contract.line_ids.sale_line_id.order_id, order)
        # the subscription line is billed by the contract, the setup fee by the order
        hosting_line = order.order_line.filtered(
            lambda ln: ln.product_id == self.hosting
        )
        self.assertEqual(hosting_line.qty_to_invoice, 0)
        fee_line = order.order_line - hosting_line
        self.assertEqual(fee_line.qty_to_invoice, 1)

    def test_upsell_adds_prorated_lines(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self._bill("2026-01-01")
        with freeze_time("2026-01-15"):
            order = self._order([(self.support, 1)], recurring_contract_id=contract.id)
            order.action_confirm()
        self.assertEqual(order.contract_ids, contract)
        support = contract.line_ids.filtered(lambda ln: ln.product_id == self.support)
        self.assertEqual(str(support.date_start), "2026-01-15")
        upsell = self._bill("2026-01-15").invoice_line_ids
        self.assertEqual(upsell.product_id, self.support)
        self.assertEqual(str(upsell.service_start_date), "2026-01-15")
        self.assertAlmostEqual(upsell.price_unit, 16.45)  # 30 € × 17/31
        february = self._bill("2026-02-01").invoice_line_ids
        self.assertEqual(sorted(february.mapped("price_unit")), [30.0, 100.0])
