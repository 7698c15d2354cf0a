# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRates(DunningCommon):
    """A missing half-year or a contractual rate under the floor never
    withholds a reminder: the penalties wait or take the floor, and say so."""

    def _html(self, report, reminder):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(report, reminder.ids)[0]
            .decode()
        )

    def test_half_year_without_rates_still_sends_the_reminder(self):
        # No row for H2 2026: 44 days late on 13 September 2026 → level 2,
        # which claims penalties.
        invoice = self._invoice(self.customer, 1000.0, "2026-07-01", "2026-07-31")
        self.level_2.channel_letter = True
        run = self._run("2026-09-13")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.level_2)
        self.assertEqual(reminder.line_ids.move_id, invoice)
        self.assertEqual(reminder.amount_penalty, 0.0)
        self.assertAlmostEqual(reminder.amount_indemnity, 40.0)
        self.assertEqual(
            reminder.rate_notes,
            [
                {
                    "key": "rate_missing",
                    "year": 2026,
                    "half": 2,
                    "contractual_rate": "",
                    "floor_rate": "",
                }
            ],
        )
        # The clerk learns which figures to enter and where they are published.
        self.assertIn(
            "No late-payment reference rates for H2 2026", reminder.explanation
        )
        self.assertIn(
            "ECB main refinancing rate in force on 1 July 2026", reminder.explanation
        )
        self.assertIn("legifrance.gouv.fr", reminder.explanation)
        # The customer is told the penalties of that half-year come later.
        told = (
            "The late-payment penalties for the days late in H2 2026 are not included"
        )
        self.assertIn(told, reminder.message_id.body)
        self.assertIn(
            told, self._html("dunning_levels.report_dunning_letter", reminder)
        )
        # The policy keeps the warning, posted once.
        policy = self.policy
        self.assertIn("H2 2026", policy.late_payment_warning)
        posts = policy.message_ids.filtered(lambda m: "H2 2026" in (m.body or ""))
        self.assertEqual(len(posts), 1)
        self._invoice(self.customer, 100.0, "2026-08-01", "2026-08-31")
        self._run("2026-09-21")
        posts = policy.message_ids.filtered(lambda m: "H2 2026" in (m.body or ""))
        self.assertEqual(len(posts), 1, "the warning is not repeated every run")
        # Entering the figures clears it; the next penalties include H2 2026.
        self._rate("2026-07-01", 2.15, 2.70)
        self.assertFalse(policy.late_payment_warning)

    def test_contractual_rate_below_a_new_floor_takes_the_floor(self):
        company = self.env.company
        company.write({"late_payment_rate_type": "contract", "late_payment_rate": 9.0})
        # H2 2026's legal rate of 3.5 % sets a floor of 10.5 % (> 9 %).
        self._rate("2026-07-01", 2.0, 3.5)
        self._invoice(self.customer, 3650.0, "2026-07-01", "2026-07-31")
        run = self._run("2026-09-14")  # 45 days late, all in H2 2026
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        # 3650 × 10.5 % × 45 / 365 = 47.25 (not 40.50 at 9 %)
        self.assertAlmostEqual(reminder.line_ids.penalty, 47.25)
        self.assertIn("10.50 %", reminder.explanation)
        self.assertIn(
            "H2 2026: the contractual penalty rate of 9.00 % is below the legal "
            "minimum of 10.50 %",
            reminder.explanation,
        )
        told = (
            "For H2 2026, our contractual penalty rate of 9.00 % is below the "
            "legal minimum"
        )
        self.assertIn(told, reminder.message_id.body)
        self.assertIn("H2 2026", self.policy.late_payment_warning)
        self.assertIn("10.50 %", self.policy.late_payment_warning)

    def test_reminder_without_penalties_needs_no_rate(self):
        self._invoice(self.customer, 100.0, "2026-07-01", "2026-07-31")
        run = self._run("2026-08-06")  # 6 days late: level 1, no penalties
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertFalse(reminder.rate_notes)
        self.assertFalse(self.policy.late_payment_warning)
