# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestUsageEndpoint(UsageCommon, HttpCase):
    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.billing_user)
            .sudo()
            ._generate(None, "meter", None)
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="usage_portal",
            password="usage_portal",
            groups="base.group_portal",
            partner_id=cls.partner_a.id,
        )
        return result

    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract()

    def _post(self, events, key=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return self.url_open(
            "/usage/events",
            data=json.dumps({"source": "meter", "events": events}),
            headers=headers,
        )

    def _event(self, contract_name, tid):
        return {
            "contract": contract_name,
            "metric": "api_calls",
            "timestamp": "2026-01-05T10:00:00Z",
            "quantity": 2,
            "transaction_id": tid,
        }

    def test_unauthenticated_call_is_refused(self):
        response = self._post([self._event(self.contract.name, "x")])
        self.assertEqual(response.status_code, 401)
        response = self._post([self._event(self.contract.name, "x")], key="wrong")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.env["usage.event"].search([("transaction_id", "=", "x")]))

    def test_batch_is_stored_whole_then_reported_as_duplicates(self):
        events = [self._event(self.contract.name, f"b{i}") for i in range(3)]
        response = self._post(events, key=self.key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["accepted"], 3)
        response = self._post(events, key=self.key)
        self.assertEqual(response.json()["duplicates"], 3)
        # one bad row: nothing of the batch is stored
        bad = [self._event(self.contract.name, "ok"), self._event("NOPE", "ko")]
        response = self._post(bad, key=self.key)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(
            self.env["usage.event"].search([("transaction_id", "=", "ok")])
        )

    def test_foreign_company_call_is_forbidden(self):
        other = self.other_company
        foreign = (
            self.env["recurring.contract"]
            .sudo()
            .create(
                {
                    "company_id": other.id,
                    "partner_id": self.partner_a.id,
                    "date_start": "2026-01-01",
                    "rule_id": self.monthly_calendar.id,
                }
            )
        )
        foreign.name = "FOREIGN-1"
        response = self._post([self._event("FOREIGN-1", "f")], key=self.key)
        self.assertEqual(response.status_code, 403)

    def test_portal_shows_the_current_usage(self):
        now = fields.Datetime.now().replace(microsecond=0)
        event = dict(self._event(self.contract.name, "now"), quantity=1234)
        event["timestamp"] = now.isoformat() + "Z"
        report = self.env["usage.event"].ingest_batch([event], source="meter")
        self.assertTrue(report["stored"], report)
        self.authenticate("usage_portal", "usage_portal")
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Current usage", page.text)
        self.assertIn("API calls", page.text)
        self.assertIn("1234", page.text)
