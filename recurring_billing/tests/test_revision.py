# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestPriceRevision(RecurringBillingCommon):
    @classmethod
    def _setup_billing_data(cls):
        cls.syntec = (
            cls.env["recurring.price.index"]
            .sudo()
            .create(
                {
                    "name": "Syntec",
                    "value_ids": [
                        Command.create(
                            {
                                "reference": "2025-08",
                                "value": 250.0,
                                "publication_date": "2025-09-15",
                            }
                        ),
                        Command.create(
                            {
                                "reference": "2026-08",
                                "value": 262.5,
                                "publication_date": "2026-09-15",
                            }
                        ),
                    ],
                }
            )
        )

    def _revise(self, day):
        with freeze_time(day):
            self.env["recurring.contract"].sudo()._cron_revise_prices()

    def test_percentage_at_anniversary_from_next_period(self):
        contract = self._contract(
            "2026-01-15",
            self.monthly_calendar,
            revision_method="percentage",
            revision_percentage=2.5,
            lines=[{"product_id": self.hosting.id, "price_unit": 1030.0}],
        )
        self._revise("2027-01-14")
        self.assertFalse(contract.last_revision_date)
        self._revise("2027-01-15")
        self.assertEqual(str(contract.last_revision_date), "2027-01-15")
        price = contract.line_ids.price_ids
        # effective at the first period starting on or after the anniversary
        self.assertEqual(str(price.date_from), "2027-02-01")
        self.assertAlmostEqual(price.price_unit, 1055.75)
        self.assertIn("1.0250", contract.message_ids[0].body)
        # each period is billed at the price in force at its start
        lines = self._bill("2027-02-01").invoice_line_ids.sorted("service_start_date")
        self.assertEqual(lines[-2:].mapped("price_unit"), [1030.0, 1055.75])
        # running the cron again the same day changes nothing
        self._revise("2027-01-20")
        self.assertEqual(len(contract.line_ids.price_ids), 1)

    def test_index_with_cap_chains_the_base(self):
        contract = self._contract(
            "2025-10-01",
            self.monthly_calendar,
            revision_method="index",
            revision_index_id=self.syntec.id,
            revision_base_value=250.0,
            revision_has_cap=True,
            revision_cap=3.0,
            lines=[{"product_id": self.hosting.id, "price_unit": 1000.0}],
        )
        self._revise("2026-10-01")
        self.assertAlmostEqual(contract.line_ids.price_ids.price_unit, 1030.0)
        self.assertEqual(contract.revision_base_value, 262.5)

    def test_index_without_cap(self):
        contract = self._contract(
            "2025-10-01",
            self.monthly_calendar,
            revision_method="index",
            revision_index_id=self.syntec.id,
            revision_base_value=250.0,
            lines=[{"product_id": self.hosting.id, "price_unit": 1000.0}],
        )
        self._revise("2026-10-01")
        self.assertAlmostEqual(contract.line_ids.price_ids.price_unit, 1050.0)

    def test_floor_forbids_decrease(self):
        contract = self._contract(
            "2025-10-01",
            self.monthly_calendar,
            revision_method="index",
            revision_index_id=self.syntec.id,
            revision_base_value=270.0,
            revision_has_floor=True,
            revision_floor=0.0,
            lines=[{"product_id": self.hosting.id, "price_unit": 1000.0}],
        )
        self._revise("2026-10-01")
        self.assertAlmostEqual(contract.line_ids.price_ids.price_unit, 1000.0)

    def test_missing_index_value_is_reported_on_the_contract(self):
        contract = self._contract(
            "2023-10-01",
            self.monthly_calendar,
            revision_method="index",
            revision_index_id=self.syntec.id,
            revision_base_value=250.0,
        )
        self._revise("2024-10-01")
        self.assertFalse(contract.line_ids.price_ids)
        self.assertIn("Syntec", contract.invoicing_error)
