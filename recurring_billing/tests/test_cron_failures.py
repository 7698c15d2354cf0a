# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RecurringBillingCommon

INVOICING_LOGGER = "odoo.addons.recurring_billing.models.recurring_invoicing"


@tagged("post_install", "-at_install")
class TestCronFailures(RecurringBillingCommon):
    """A contract failing in a cron day after day gets one message and one
    activity, updated; a new message only when the error changes; both are
    closed when the contract succeeds."""

    @classmethod
    def _setup_billing_data(cls):
        cls.syntec = cls.env["recurring.price.index"].sudo().create({"name": "Syntec"})

    def _failure_messages(self, contract, text):
        """The notes containing ``text`` (not the "activity done" messages)."""
        return contract.message_ids.filtered(
            lambda m: not m.mail_activity_type_id and text in str(m.body)
        ).sorted("id")

    def _resolved_messages(self, contract):
        return contract.message_ids.filtered(lambda m: "Resolved" in str(m.body))

    def _break(self, contract):
        contract.sudo().journal_id = self.company_data["default_journal_purchase"]

    def _repair(self, contract):
        contract.sudo().journal_id = self.company_data["default_journal_sale"]

    def test_same_error_two_days_then_success(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self._break(contract)
        with mute_logger(INVOICING_LOGGER):
            self.assertFalse(self._bill("2026-01-01", contract))
            self.assertFalse(self._bill("2026-01-02", contract))
        messages = self._failure_messages(contract, "Invoicing failed")
        self.assertEqual(len(messages), 1)
        self.assertIn("2 times in a row", str(messages.body))
        self.assertEqual(contract.invoicing_error_count, 2)
        self.assertEqual(str(contract.invoicing_error_since.date()), "2026-01-01")
        activities = contract.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities, contract.invoicing_error_activity_id)
        self.assertIn("2 times in a row", str(activities.note))
        self.assertEqual(activities.user_id, contract.user_id)

        self._repair(contract)
        moves = self._bill("2026-01-03", contract)
        self.assertEqual(len(moves), 1)
        self.assertFalse(contract.activity_ids)
        self.assertFalse(contract.invoicing_error)
        self.assertFalse(contract.invoicing_error_count)
        self.assertFalse(contract.invoicing_error_message_id)
        resolved = self._resolved_messages(contract)
        self.assertEqual(len(resolved), 1)
        self.assertIn("after 2 failed attempt", str(resolved.body))
        # the failure message itself stays, as history
        self.assertEqual(len(self._failure_messages(contract, "Invoicing failed")), 1)

    def test_new_message_only_when_the_error_changes(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        Invoicing = type(self.env["recurring.invoicing"])
        errors = {
            "2026-01-01": "No bank account",
            "2026-01-02": "No bank account",
            "2026-01-03": "Tax missing",
        }

        def failing(service, contracts, date, post):
            raise UserError(errors[str(date)])

        with (
            patch.object(Invoicing, "_create_invoices", failing),
            mute_logger(INVOICING_LOGGER),
        ):
            for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
                self._bill(day, contract)
        messages = self._failure_messages(contract, "Invoicing failed")
        self.assertEqual(len(messages), 2)
        self.assertIn("No bank account", str(messages[0].body))
        self.assertIn("2 times in a row", str(messages[0].body))
        self.assertIn("Tax missing", str(messages[1].body))
        self.assertIn("3 times in a row", str(messages[1].body))
        self.assertEqual(len(contract.activity_ids), 1)
        self.assertIn("Tax missing", str(contract.activity_ids.note))
        self.assertEqual(contract.invoicing_error, "Tax missing")

    def test_activity_closed_by_hand_then_success_leaves_a_note(self):
        contract = self._contract("2026-01-01", self.monthly_calendar)
        self._break(contract)
        with mute_logger(INVOICING_LOGGER):
            self._bill("2026-01-01", contract)
        contract.activity_ids.sudo().unlink()
        with mute_logger(INVOICING_LOGGER):
            self._bill("2026-01-02", contract)
        # the failure goes on: the activity comes back, once
        self.assertEqual(len(contract.activity_ids), 1)
        self._repair(contract)
        self._bill("2026-01-03", contract)
        self.assertFalse(contract.activity_ids)
        self.assertEqual(len(self._resolved_messages(contract)), 1)

    def test_revision_failing_until_the_index_is_published(self):
        contract = self._contract(
            "2025-10-01",
            self.monthly_calendar,
            revision_method="index",
            revision_index_id=self.syntec.id,
            revision_base_value=250.0,
            lines=[{"product_id": self.hosting.id, "price_unit": 1000.0}],
        )
        Contract = self.env["recurring.contract"].sudo()
        for day in ("2026-10-01", "2026-10-02", "2026-10-03"):
            with freeze_time(day):
                Contract._cron_revise_prices()
        messages = self._failure_messages(contract, "Price revision failed")
        self.assertEqual(len(messages), 1)
        self.assertIn("3 times in a row", str(messages.body))
        self.assertEqual(len(contract.activity_ids), 1)
        self.assertEqual(contract.invoicing_error_source, "revision")
        # invoicing meanwhile succeeds: the revision's failure stays open
        self._bill("2026-10-03", contract)
        self.assertEqual(contract.invoicing_error_source, "revision")
        self.assertEqual(len(contract.activity_ids), 1)
        self.syntec.sudo().value_ids = [
            Command.create(
                {
                    "reference": "2026-08",
                    "value": 262.5,
                    "publication_date": "2026-09-15",
                }
            )
        ]
        with freeze_time("2026-10-04"):
            Contract._cron_revise_prices()
        self.assertAlmostEqual(contract.line_ids.price_ids.price_unit, 1050.0)
        self.assertFalse(contract.activity_ids)
        self.assertFalse(contract.invoicing_error)
        self.assertEqual(len(self._resolved_messages(contract)), 1)
