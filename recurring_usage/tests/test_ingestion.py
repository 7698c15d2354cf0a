# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestIngestion(UsageCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract()

    def _rows(self, *specs):
        name = self.contract.name
        return [
            f"{name},api_calls,2026-01-{day:02d}T10:00:00Z,{quantity},{tid}"
            for day, quantity, tid in specs
        ]

    def test_file_import_accepts_and_reports_duplicates_and_conflicts(self):
        report = self._ingest_csv(self._rows((3, 10, "t1"), (4, 20, "t2")))
        self.assertEqual((report["accepted"], report["stored"]), (2, True))
        events = self.env["usage.event"].search(
            [("contract_id", "=", self.contract.id)]
        )
        self.assertEqual(sorted(events.mapped("quantity")), [10.0, 20.0])
        self.assertEqual(events.contract_line_id.usage_metric_id, self.metric)
        # resent: all duplicates, nothing added
        report = self._ingest_csv(self._rows((3, 10, "t1"), (4, 20, "t2")))
        self.assertEqual((report["accepted"], report["duplicates"]), (0, 2))
        # same id, other payload: a conflict, the whole file refused
        report = self._ingest_csv(self._rows((3, 11, "t1"), (5, 5, "t3")))
        self.assertEqual(report["conflicts"], 1)
        self.assertFalse(report["stored"])
        self.assertEqual(report["errors"][0]["line"], 2)
        self.assertEqual(report["errors"][0]["code"], "conflict")
        self.assertEqual(
            self.env["usage.event"].search_count(
                [("contract_id", "=", self.contract.id)]
            ),
            2,
        )
        # not strict: the new row goes in, the conflict is reported
        report = self._ingest_csv(self._rows((3, 11, "t1"), (5, 5, "t3")), strict=False)
        self.assertEqual((report["accepted"], report["conflicts"]), (1, 1))
        # another source may reuse the ids
        report = self._ingest_csv(self._rows((3, 10, "t1")), source="other")
        self.assertEqual(report["accepted"], 1)

    def test_invalid_rows_name_their_line_and_reason(self):
        name = self.contract.name
        report = self._ingest_csv(
            [
                f"{name},api_calls,2026-01-03T10:00:00,5,ok",
                "NOPE,api_calls,2026-01-03T10:00:00,5,a",
                f"{name},unknown,2026-01-03T10:00:00,5,b",
                f"{name},api_calls,2026-13-03T10:00:00,5,c",
                f"{name},api_calls,2026-02-30T10:00:00,5,c2",
                f"{name},api_calls,2026-01-03T10:00:00,five,d",
                f"{name},api_calls,2026-01-03T10:00:00,5,",
                f"{name},api_calls,2026-01-03T10:00:00,6,ok",
            ]
        )
        self.assertFalse(report["stored"])
        self.assertEqual(report["invalid"], 6)
        self.assertEqual(
            [(row["line"], row["code"]) for row in report["errors"]],
            [
                (3, "unknown_contract"),
                (4, "unknown_metric"),
                (5, "bad_timestamp"),
                (6, "bad_timestamp"),
                (7, "bad_quantity"),
                (8, "no_transaction"),
                (9, "conflict_in_file"),
            ],
        )
        self.assertFalse(
            self.env["usage.event"].search([("contract_id", "=", self.contract.id)])
        )

    def test_json_lines_and_batches(self):
        name = self.contract.name
        content = self._jsonl(
            [
                {
                    "contract": name,
                    "metric": "api_calls",
                    "timestamp": "2026-01-05T08:00:00+02:00",
                    "quantity": 3,
                    "transaction_id": "j1",
                    "properties": {"region": "eu"},
                },
                {
                    "contract": name,
                    "metric": "api_calls",
                    "timestamp": "2026-01-05T09:00:00Z",
                    "transaction_id": "j2",
                },
            ]
        )
        record = self._import_record(content, "jsonl", source="app")
        record.action_import()
        self.assertEqual(record.state, "done")
        self.assertEqual(record.accepted_count, 2)
        event = self.env["usage.event"].search([("transaction_id", "=", "j1")])
        self.assertEqual(str(event.timestamp), "2026-01-05 06:00:00")
        self.assertEqual(event.properties, {"region": "eu"})
        # a quantity left out counts one
        self.assertEqual(
            self.env["usage.event"].search([("transaction_id", "=", "j2")]).quantity,
            1.0,
        )
        report = self.env["usage.event"].ingest_batch(
            [{"contract": name, "metric": "api_calls", "timestamp": "x"}], source="app"
        )
        self.assertFalse(report["stored"])
        self.assertEqual(report["errors"][0]["code"], "no_transaction")
        with self.assertRaises(UserError):
            self.env["usage.event"].ingest_batch({"not": "a list"})

    def test_large_file_is_loaded_in_the_background(self):
        record = self._import_record(
            self._csv(self._rows((3, 1, "bg1"))).getvalue(), source="file"
        )
        from ..models import usage_import

        self.patch(usage_import, "BACKGROUND_BYTES", 10)
        record.action_import()
        self.assertEqual(record.state, "queued")
        with self._no_commit():
            self.env["usage.import"]._cron_load_queued()
        self.assertEqual(record.state, "done")
        self.assertIn("1 events accepted", record.message_ids[0].body)

    def test_foreign_company_contract_is_refused(self):
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
                    "line_ids": [],
                }
            )
        )
        foreign.name = "FOREIGN-1"
        report = self._ingest_csv(
            [f"{foreign.name},api_calls,2026-01-03T10:00:00,5,f1"]
        )
        self.assertFalse(report["stored"])
        self.assertEqual(report["errors"][0]["code"], "foreign_company")

    def test_billed_events_are_locked_and_late_events_may_be_refused(self):
        self._ingest_csv(self._rows((3, 10, "t1")))
        self._run("2026-02-01")
        event = self.env["usage.event"].search([("transaction_id", "=", "t1")])
        self.assertEqual(event.state, "billed")
        with self.assertRaises(UserError):
            event.sudo().write({"source": "x"})
        with self.assertRaises(UserError):
            event.sudo().unlink()
        self.env.company.sudo().usage_late_policy = "refuse"
        report = self._ingest_csv(self._rows((20, 1, "late")))
        self.assertEqual(report["errors"][0]["code"], "period_billed")
