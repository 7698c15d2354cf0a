"""The usage bench inside an Odoo shell (see bench/usage.py).

BENCH_EVENTS=N BENCH_CONTRACTS=C odoo-bin shell -c CONFIG -d DATABASE < this
file. Prints one JSON line.
"""

import json
import os
import resource
import tempfile
import time
from datetime import timedelta

from odoo import fields, sql_db
from odoo.fields import Command

BATCH = 1000


def peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


n_events = int(os.environ["BENCH_EVENTS"])
n_contracts = int(os.environ["BENCH_CONTRACTS"])
today = fields.Date.context_today(env["res.users"])  # noqa: F821
first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
env = env  # noqa: F821
metric = env["usage.metric"].create(
    {
        "name": "API calls",
        "code": "api_calls",
        "uom_id": env.ref("uom.product_uom_unit").id,
    }
)
fee, usage = env["product.product"].create(
    [
        {"name": "Bench plan", "type": "service", "list_price": 10.0},
        {"name": "Bench API usage", "type": "service", "list_price": 0.0},
    ]
)
rule = env["recurring.rule"].create({"name": "Bench monthly", "unit": "month"})
partners = env["res.partner"].create(
    [{"name": f"Usage customer {i}"} for i in range(n_contracts)]
)
contracts = env["recurring.contract"].create(
    [
        {
            "partner_id": partner.id,
            "date_start": first,
            "rule_id": rule.id,
            "line_ids": [
                Command.create({"product_id": fee.id}),
                Command.create(
                    {
                        "product_id": usage.id,
                        "price_unit": 0.0,
                        "usage_metric_id": metric.id,
                        "usage_price_model": "graduated",
                        "usage_included": 100,
                        "usage_tier_ids": [
                            Command.create({"up_to": 1000, "unit_price": 0.01}),
                            Command.create({"up_to": 0, "unit_price": 0.005}),
                        ],
                    }
                ),
            ],
        }
        for partner in partners
    ]
)
contracts.action_activate()
env.cr.commit()
names = contracts.mapped("name")
result = {"events": n_events, "contracts": n_contracts}
if n_events:
    seconds_in_month = (today.replace(day=1) - first).days * 86400 - 1
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("contract,metric,timestamp,quantity,transaction_id\n")
        for i in range(n_events):
            stamp = fields.Datetime.to_datetime(first) + timedelta(
                seconds=(i * 7919) % seconds_in_month
            )
            handle.write(f"{names[i % n_contracts]},api_calls,{stamp},1,e{i}\n")
        path = handle.name
    Ingestion = env["usage.ingestion"]
    for step in ("import", "resend"):
        t0 = time.perf_counter()
        with open(path, "rb") as stream:
            report = Ingestion._ingest(stream, "csv", "bench")
        env.cr.commit()
        seconds = time.perf_counter() - t0
        result[f"{step}_events_per_s"] = round(n_events / seconds)
        result[f"{step}_s"] = round(seconds, 1)
        result[f"{step}_accepted"] = report["accepted"]
        result[f"{step}_duplicates"] = report["duplicates"]
        result[f"{step}_peak_rss_mb"] = peak_mb()
    os.unlink(path)
    batches = max(min(n_events // BATCH, 100), 1)
    t0 = time.perf_counter()
    for b in range(batches):
        events = [
            {
                "contract": names[(b * BATCH + i) % n_contracts],
                "metric": "api_calls",
                "timestamp": f"{first}T12:00:00Z",
                "quantity": 1,
                "transaction_id": f"b{b}-{i}",
            }
            for i in range(BATCH)
        ]
        report = env["usage.event"].ingest_batch(events, source="api")
        assert report["accepted"] == BATCH, report
        env.cr.commit()
    result["batch_events_per_s"] = round(batches * BATCH / (time.perf_counter() - t0))
env.cr.commit()
# the month's events were loaded over the month and autovacuum marked their
# pages visible long before the bill run (the run reads them from an index
# alone); one VACUUM stands for it here (BENCH_NO_VACUUM=1: events loaded
# just before the run)
with sql_db.db_connect(env.cr.dbname).cursor() as vacuum_cr:
    vacuum_cr._cnx.autocommit = True
    if os.environ.get("BENCH_NO_VACUUM"):
        vacuum_cr.execute("ANALYZE usage_event")
    else:
        vacuum_cr.execute("VACUUM ANALYZE usage_event")
    vacuum_cr._cnx.autocommit = False
q0, t0 = sql_db.sql_counter, time.perf_counter()
run = env["bill.run"].create({"date": today})
run._start()
run._process()
result["bill_run_s"] = round(time.perf_counter() - t0, 1)
invoices = run.customer_ids.invoice_ids
result["invoices"] = len(invoices)
result["queries_per_invoice"] = round((sql_db.sql_counter - q0) / max(len(invoices), 1))
result["bill_run_state"] = run.state
result["usage_lines"] = len(invoices.invoice_line_ids.filtered("usage_rating_ids"))
result["billed_events"] = env["usage.event"].search_count([("rating_id", "!=", False)])
result["peak_rss_mb"] = peak_mb()
if n_events:
    # for the HTTP batches (bench/usage.py posts them to a server of its own)
    admin = env.ref("base.user_admin")
    keys = env["res.users.apikeys"].with_user(admin).sudo()
    key = keys._generate(None, "bench", None)
    env.cr.commit()
    result["http"] = {"key": key, "contracts": names, "day": str(today)}
print(json.dumps(result), flush=True)
