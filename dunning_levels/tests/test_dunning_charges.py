# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCharges(DunningCommon):
    """Charges invoiced, customer blocked then released, letters in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, 1000.0, "2025-12-11", "2026-01-10")

    def test_charges_as_a_vat_free_debit_invoice(self):
        self.level_3.issue_charges = True
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        charges = reminder.charge_move_ids
        self.assertEqual(len(charges), 1)
        self.assertEqual(charges.state, "posted")
        # 1000 × 12.15 % × 64 / 365 = 21.30 of penalties, plus 40 € indemnity.
        self.assertAlmostEqual(charges.amount_total, 61.30)
        self.assertFalse(charges.invoice_line_ids.tax_ids)
        self.assertTrue(charges.dunning_excluded)
        self.assertEqual(self.invoice.dunning_charge_move_id, charges)

    def test_block_then_release_the_customer(self):
        self.level_2.block_customer = True
        self._run("2026-02-15")
        self.assertTrue(self.customer.dunning_blocked)
        if "sale_warn_msg" in self.customer._fields:
            self.assertIn("Second reminder", self.customer.sale_warn_msg)
        self._pay(self.invoice, 1000.0, "2026-02-20")
        self._run("2026-02-21")
        self.assertFalse(self.customer.dunning_blocked)
        card = self.env["dunning.customer"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(card.state, "ok")
        self.assertFalse(card.level_id)

    def test_letter_and_email_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "dunning_levels")]
        )._load_module_terms(["dunning_levels"], ["fr_FR"], overwrite=True)
        self.customer.lang = "fr_FR"
        self.level_3.channel_letter = True
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertIn("nous vous mettons en demeure", reminder.message_id.body)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "dunning_levels.action_report_dunning_letter", reminder.ids
            )[0]
            .decode()
        )
        self.assertIn("Mise en demeure de payer", html)
        self.assertIn("Pénalités de retard", html)
