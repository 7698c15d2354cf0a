# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SepaCommon


@tagged("post_install", "-at_install")
class TestSepaSetup(SepaCommon):
    """Mandate per contract and customer, the split key, the pre-notification."""

    def test_customer_default_mandate_applies_to_new_contracts(self):
        self.partner_a.sudo().recurring_payment_mandate_id = self.mandate
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self.assertEqual(contract.mandate_id, self.mandate)
        other = self._contract(
            "2026-01-01", self.monthly_calendar, mandate_id=self.mandate_2.id
        )
        self.assertEqual(other.mandate_id, self.mandate_2)
        # a saved payment method given (or by default) wins
        card = self._contract(
            "2026-01-01", self.monthly_calendar, payment_token_id=self.token_done.id
        )
        self.assertFalse(card.mandate_id)
        self.partner_a.sudo().recurring_payment_token_id = self.token_done
        by_default = self._contract("2026-01-01", self.monthly_calendar)
        self.assertEqual(by_default.payment_token_id, self.token_done)
        self.assertFalse(by_default.mandate_id)

    def test_a_contract_has_a_token_or_a_mandate(self):
        contract = self._contract(
            "2026-01-01", self.monthly_calendar, mandate_id=self.mandate.id
        )
        with self.assertRaises(ValidationError):
            contract.payment_token_id = self.token_done

    def test_mandate_is_an_invoice_split_key(self):
        Invoicing = self.env["recurring.invoicing"]
        self.assertIn("mandate_id", Invoicing._get_invoice_split_keys())
        if hasattr(Invoicing, "_consolidation_key_names"):
            self.assertIn("mandate_id", Invoicing._consolidation_key_names())
        first = self._contract(
            "2026-01-01", self.monthly_calendar, mandate_id=self.mandate.id
        )
        second = self._contract(
            "2026-01-01", self.monthly_calendar, mandate_id=self.mandate_2.id
        )
        none = self._contract("2026-01-01", self.monthly_calendar)
        headers = [Invoicing._prepare_invoice_header(c) for c in (first, second, none)]
        self.assertEqual(
            [h["mandate_id"] for h in headers],
            [self.mandate.id, self.mandate_2.id, False],
        )
        self.assertEqual(headers[0]["payment_mode_id"], self.payment_mode.id)
        with freeze_time("2026-01-01"):
            moves = Invoicing._invoice_contracts(
                first | second, "2026-01-01", post=True
            )
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.mandate_id, self.mandate | self.mandate_2)
        for move in moves:
            self.assertEqual(len(move.recurring_contract_ids), 1)

    def test_invoice_states_amount_date_mandate_and_creditor(self):
        move = self._debit_invoice()
        notice = move._collection_notice()
        self.assertIn("UMR-A", notice)
        self.assertIn("FR78ZZZ424242", notice)
        self.assertIn("01/15/2026", notice)
        self.assertIn(move._collection_amount_text(), notice)
        html = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        self.assertIn("UMR-A", html)
        self.assertIn("FR78ZZZ424242", html)

    def test_prepared_invoice_says_how_it_is_paid(self):
        """What the bill run preview reads of a prepared invoice's header
        (an unsaved invoice): the mandate, as a direct debit."""
        contract = self._contract(
            "2026-01-01", self.monthly_calendar, mandate_id=self.mandate.id
        )
        header = self.env["recurring.invoicing"]._prepare_invoice_header(contract)
        self.assertEqual(header["mandate_id"], self.mandate.id)
        move = self.env["account.move"].new(
            {
                name: value
                for name, value in header.items()
                if name in self.env["account.move"]._fields
                and self.env["account.move"]._fields[name].type
                not in ("one2many", "many2many")
            }
        )
        self.assertEqual(
            move._collection_method_label(), "SEPA direct debit, mandate UMR-A"
        )
        self.assertTrue(move._collection_is_debit())
        by_token = self.env["account.move"].new(
            {"move_type": "out_invoice", "payment_token_id": self.token_done.id}
        )
        self.assertEqual(
            by_token._collection_method_label(), self.token_done.display_name
        )

    def test_debit_date_is_the_due_date_when_later(self):
        term = self.env.ref("account.account_payment_term_30days")
        with freeze_time("2026-01-01"):
            contract = self._contract(
                "2026-01-01",
                self.monthly_calendar,
                mandate_id=self.mandate.id,
                payment_term_id=term.id,
            )
            move = self.env["recurring.invoicing"]._invoice_contracts(
                contract, "2026-01-01", post=True
            )
        self.assertEqual(str(move.invoice_date_due), "2026-01-31")
        self.assertEqual(self._attempts(move), [(1, "2026-01-31", "scheduled")])

    def test_setting_chooses_the_payment_mode(self):
        other_mode = self.payment_mode.sudo().copy({"name": "Other SEPA mode"})
        self.env.user.sudo().group_ids |= self.env.ref(
            "recurring_billing.group_billing_manager"
        )
        settings = self.env["recurring.billing.settings"].create({})
        settings.recurring_payment_sepa_mode_id = other_mode
        settings.action_save()
        self.assertEqual(self.env.company._recurring_payment_sepa_mode(), other_mode)
        move = self._debit_invoice()
        self.assertEqual(move.payment_mode_id, other_mode)
