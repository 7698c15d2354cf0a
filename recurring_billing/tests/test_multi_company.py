# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(RecurringBillingCommon):
    @classmethod
    def _setup_billing_data(cls):
        cls.other_company = cls.setup_other_company(name="Other Billing Co")["company"]

    def test_contracts_and_periods_stay_in_their_company(self):
        other = self.other_company
        mine = self._contract("2026-01-01", self.monthly_calendar)
        theirs = (
            self.env(su=True)["recurring.contract"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.partner_a.id,
                    "company_id": other.id,
                    "date_start": "2026-01-01",
                    "rule_id": self.monthly_calendar.id,
                    "line_ids": [Command.create({"product_id": self.hosting.id})],
                }
            )
        )
        theirs.action_activate()
        self.env(su=True)["recurring.invoicing"].with_company(other)._invoice_contracts(
            theirs, theirs.date_start
        )
        Contract = self.env["recurring.contract"]
        self.assertEqual(Contract.search([("id", "in", (mine | theirs).ids)]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.billing_user).read(["name"])
        periods = self.env["recurring.period"].search([])
        self.assertNotIn(theirs.period_ids.sudo(), periods)
        self.assertTrue(theirs.sudo().period_ids)
