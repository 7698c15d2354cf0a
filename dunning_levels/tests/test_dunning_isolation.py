# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningIsolation(DunningCommon):
    """A run never mixes companies; amounts never mix currencies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("USD", rates=[("2025-01-01", 2.0)])
        cls.company_2 = cls.setup_other_company(name="Filiale")["company"]
        cls.company_2.dunning_policy_id = cls._policy(cls.company_2)
        cls.controller.company_ids = [Command.link(cls.company_2.id)]

    def test_currencies_are_grouped_and_converted_for_totals(self):
        eur = self._invoice(self.customer, 100.0, "2026-01-01", "2026-03-01")
        usd = self._invoice(
            self.customer,
            300.0,
            "2026-01-01",
            "2026-03-01",
            currency_id=self.usd.id,
        )
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        lines = {line.move_id: line for line in reminder.line_ids}
        self.assertEqual(lines[usd].currency_id, self.usd)
        self.assertAlmostEqual(lines[usd].amount_due, 300.0)
        self.assertEqual(lines[eur].currency_id, self.env.company.currency_id)
        # 100 € + 300 $ at 2 $ per € = 250 € overdue.
        self.assertAlmostEqual(reminder.amount_overdue, 250.0)
        summaries = reminder._currency_summaries()
        self.assertEqual(
            {s["currency"].name: s["net"] for s in summaries},
            {"EUR": 100.0, "USD": 300.0},
        )

    def test_usd_credit_note_is_not_netted_against_eur(self):
        self._invoice(self.customer, 100.0, "2026-01-01", "2026-03-01")
        self._invoice(
            self.customer,
            100.0,
            "2026-01-01",
            "2026-01-01",
            move_type="out_refund",
            currency_id=self.usd.id,
        )
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        summaries = {s["currency"].name: s for s in reminder._currency_summaries()}
        self.assertAlmostEqual(summaries["EUR"]["net"], 100.0)
        # The USD group has only a credit: nothing chased in USD.
        self.assertNotIn("USD", summaries)

    def test_companies_are_run_apart(self):
        inv_1 = self._invoice(self.customer, 100.0, "2026-01-01", "2026-03-01")
        inv_2 = self._invoice(
            self.customer,
            700.0,
            "2026-01-01",
            "2026-01-15",
            company_id=self.company_2.id,
            journal_id=self.env["account.journal"]
            .search(
                [("type", "=", "sale"), ("company_id", "=", self.company_2.id)],
                limit=1,
            )
            .id,
        )
        run_1 = self._run("2026-03-15")
        run_2 = self._run("2026-03-15", company=self.company_2)
        reminder_1 = self._reminder(run_1)
        reminder_2 = self._reminder(run_2)
        self.assertEqual(reminder_2.state, "sent", reminder_2.error)
        self.assertEqual(reminder_1.line_ids.move_id, inv_1)
        self.assertEqual(reminder_1.level_id, self.level_1)
        self.assertEqual(reminder_2.line_ids.move_id, inv_2)
        self.assertEqual(reminder_2.level_id.policy_id.company_id, self.company_2)
        self.assertEqual(reminder_2.level_id.sequence, 3)
        cards = self.env["dunning.customer"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(cards.company_id, self.env.company | self.company_2)
