# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command

from odoo.addons.recurring_billing.tests.common import RecurringBillingCommon


class CollectionCommon(RecurringBillingCommon):
    """A demo payment provider of the test company, its tokens, and helpers to
    bill a contract and run the collection cron on a given day."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.pm_demo = cls.env.ref("payment_demo.payment_method_demo")
        cls.provider = cls._demo_provider(cls.env.company, cls.company_data)
        cls.token_done = cls._token("done")
        cls.token_pending = cls._token("pending")
        cls.token_error = cls._token("error")
        cls.token_cancel = cls._token("cancel")
        return result

    @classmethod
    def _demo_provider(cls, company, company_data):
        return (
            cls.env["payment.provider"]
            .sudo()
            .create(
                {
                    "name": f"Demo {company.name}",
                    "code": "demo",
                    "state": "test",
                    "company_id": company.id,
                    "payment_method_ids": [Command.set(cls.pm_demo.ids)],
                    "journal_id": company_data["default_journal_bank"].id,
                }
            )
        )

    @classmethod
    def _token(cls, state, partner=None, provider=None, method=None):
        provider = provider or cls.provider
        return (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": (method or cls.pm_demo).id,
                    "partner_id": (partner or cls.partner_a).id,
                    "provider_ref": f"demo-{state}",
                    "payment_details": f"4242 {state}",
                    "demo_simulated_state": state,
                }
            )
        )

    @contextmanager
    def _no_commit(self):
        """The collection commits its progress; tests keep one transaction."""
        with patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda self, processed=0, remaining=None, deactivate=False: float("inf"),
        ):
            yield

    def _invoice(self, token, day="2026-01-01", contract=None):
        """Bill a new monthly contract paid with ``token`` on ``day`` (posted)."""
        with freeze_time(day):
            contract = contract or self._contract(
                day, self.monthly_calendar, payment_token_id=token.id
            )
            moves = self.env["recurring.invoicing"]._invoice_contracts(
                contract, day, post=True
            )
        self.assertEqual(len(moves), 1)
        return moves

    def _other_company_invoice(self, company, day="2026-01-01", **values):
        """Bill, as a superuser of ``company``, a new monthly contract of
        partner_a there (``values``: its payment method) on ``day`` (posted)."""
        with freeze_time(day):
            contract = (
                self.env(su=True)["recurring.contract"]
                .with_company(company)
                .create(
                    {
                        "partner_id": self.partner_a.id,
                        "company_id": company.id,
                        "date_start": day,
                        "rule_id": self.monthly_calendar.id,
                        "line_ids": [Command.create({"product_id": self.hosting.id})],
                        **values,
                    }
                )
            )
            contract.action_activate()
            return (
                self.env(su=True)["recurring.invoicing"]
                .with_company(company)
                ._invoice_contracts(contract, day, post=True)
            )

    def _collect(self, day):
        with freeze_time(day), self._no_commit():
            self.env["recurring.payment.attempt"].sudo()._cron_collect()

    def _attempts(self, move):
        return [
            (a.attempt_number, str(a.scheduled_date), a.state)
            for a in move.payment_attempt_ids.sorted("attempt_number")
        ]
