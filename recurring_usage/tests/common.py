# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import json

from odoo.fields import Command

from odoo.addons.consolidated_invoice.tests.common import ConsolidationCommon


class UsageCommon(ConsolidationCommon):
    """A metric of API calls and a contract of partner_a from 2026-01-01:
    hosting (100 a month, in advance) and API calls in arrears, graduated
    (1,000 at 0.18, then 0.15)."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.metric = (
            cls.env["usage.metric"]
            .sudo()
            .create(
                {
                    "name": "API calls",
                    "code": "api_calls",
                    "uom_id": cls.env.ref("uom.product_uom_unit").id,
                    "aggregation": "sum",
                }
            )
        )
        cls.usage_product = cls._create_product(
            name="API usage", type="service", lst_price=0.0
        )
        cls.other_company = cls.setup_other_company()["company"]
        return result

    @classmethod
    def _usage_contract(cls, partner=None, start="2026-01-01", **line_values):
        line = {
            "product_id": cls.usage_product.id,
            "price_unit": 0.0,
            "usage_metric_id": cls.metric.id,
            "usage_price_model": "graduated",
            "usage_tier_ids": [
                Command.create({"up_to": 1000, "unit_price": 0.18}),
                Command.create({"up_to": 0, "unit_price": 0.15}),
            ],
        }
        line.update(line_values)
        return cls._contract(
            start,
            cls.monthly_calendar,
            partner_id=(partner or cls.partner_a).id,
            lines=[{"product_id": cls.hosting.id}, line],
        )

    def _csv(self, rows, header="contract,metric,timestamp,quantity,transaction_id"):
        text = "\n".join([header, *rows]) + "\n"
        return io.BytesIO(text.encode())

    def _send(self, contract, specs, source="meter"):
        """Store API-call events ``(timestamp, quantity, transaction id)`` of
        ``contract`` through the file import."""
        rows = [
            f"{contract.name},api_calls,{stamp},{quantity},{tid}"
            for stamp, quantity, tid in specs
        ]
        report = self._ingest_csv(rows, source=source)
        self.assertTrue(report["stored"], report)
        return report

    def _ingest_csv(self, rows, source="meter", strict=True, **kwargs):
        return self.env["usage.ingestion"]._ingest(
            self._csv(rows, **kwargs), "csv", source, strict=strict
        )

    def _import_record(self, content, file_format="csv", **values):
        return self.env["usage.import"].create(
            {
                "file": base64.b64encode(content),
                "filename": f"usage.{file_format}",
                "file_format": file_format,
                **values,
            }
        )

    @staticmethod
    def _jsonl(events):
        return "".join(json.dumps(event) + "\n" for event in events).encode()
