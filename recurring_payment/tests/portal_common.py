# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import new_test_user


class PortalContractMixin:
    """A portal customer and an active monthly contract of theirs, for the
    contract page's tests (HttpCase classes of this addon and its bridges)."""

    @classmethod
    def _portal_customer(cls, login, name):
        customer = cls.env["res.partner"].create(
            {"name": name, "email": f"{login}@example.com"}
        )
        new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=customer.id,
        )
        return customer

    @classmethod
    def _portal_contract(cls, customer, **values):
        rule = cls.env["recurring.rule"].create({"name": "Portal monthly"})
        product = cls.env["product.product"].create(
            {"name": "Portal Hosting", "type": "service", "list_price": 42.0}
        )
        contract = cls.env["recurring.contract"].create(
            {
                "partner_id": customer.id,
                "date_start": "2026-01-01",
                "rule_id": rule.id,
                "line_ids": [Command.create({"product_id": product.id})],
                **values,
            }
        )
        contract.action_activate()
        return contract
