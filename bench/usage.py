"""Bench: usage ingestion and rating (recurring_usage).

Usage: python bench/usage.py [EVENTS] [CONTRACTS]   (default 1000000 1000)

On a fresh copy of a database with recurring_usage installed (built once from
the layer-2 dependencies template), in an Odoo process of its own
(bench/usage_worker.py):

1. CONTRACTS contracts (a 10.00 monthly fee and a graduated usage line) that
   started on the first day of last month;
2. a CSV of EVENTS events of last month over the contracts, loaded by the file
   import (COPY into a staging table, SQL checks, INSERT … ON CONFLICT DO
   NOTHING): events/s and the process's peak RSS (the file is streamed to
   PostgreSQL, never held in memory);
3. the same file again: every row a duplicate, nothing added;
4. batches of 1,000 events through the service the HTTP endpoint and JSON-2
   call (in process: HTTP parsing not counted): events/s;
5. the bill run of today (last month's usage in arrears, this month's fee):
   seconds and queries per invoice, then the same run on a copy without
   events: the overhead of usage;
6. an Odoo server started on the database, and batches of 1,000 events of
   this month posted one after the other to ``/usage/events`` with an API
   key: events/s over HTTP, from request to stored report.

Prints one JSON line per database and a table.
"""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import layer2  # noqa: E402

ADDONS = ["recurring_usage"]
HTTP_BATCHES = 50
HTTP_BATCH = 1000


def measure(conn, odoo_path, odoo_python, conf, base, events, contracts, usage):
    def run(database):
        row = common.run_worker(
            odoo_path,
            odoo_python,
            conf,
            database,
            "usage_worker.py",
            {
                "BENCH_EVENTS": str(events if usage else 0),
                "BENCH_CONTRACTS": str(contracts),
            },
            f"usage bench ({'with' if usage else 'without'} usage)",
        )
        http = row.pop("http", None)
        if usage and http:
            row["http_events_per_s"] = http_batches(
                odoo_path, odoo_python, conf, database, http
            )
        return row

    return common.measure_on_copy(
        conn, base, f"facturo_measure_usage_{contracts}_{int(usage)}", run
    )


def http_batches(odoo_path, odoo_python, conf, database, http):
    """Events/s of batches posted to ``/usage/events`` of a server started
    on ``database`` (``http``: the worker's API key, contract names, day)."""
    port = layer2.free_port()
    server = subprocess.Popen(
        [
            str(odoo_python),
            str(odoo_path / "odoo-bin"),
            "-c",
            conf,
            "-d",
            database,
            f"--db-filter=^{database}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        layer2.wait_for_port(port, who="usage bench")
        names = http["contracts"]

        def post(batch):
            events = [
                {
                    "contract": names[(batch * HTTP_BATCH + i) % len(names)],
                    "metric": "api_calls",
                    "timestamp": f"{http['day']}T12:00:00Z",
                    "quantity": 1,
                    "transaction_id": f"h{batch}-{i}",
                }
                for i in range(HTTP_BATCH)
            ]
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/usage/events",
                data=json.dumps({"source": "http", "events": events}).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {http['key']}",
                },
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                report = json.load(response)
            if report.get("accepted") != HTTP_BATCH:
                raise SystemExit(f"bench: HTTP batch refused: {report}")

        post(HTTP_BATCHES)  # the first request loads the registry
        t0 = time.perf_counter()
        for batch in range(HTTP_BATCHES):
            post(batch)
        return round(HTTP_BATCHES * HTTP_BATCH / (time.perf_counter() - t0))
    finally:
        server.terminate()
        server.wait(timeout=60)


COLUMNS = [
    ("events", "events"),
    ("contracts", "contracts"),
    ("import_events_per_s", "import ev/s"),
    ("import_peak_rss_mb", "import peak RSS MB"),
    ("resend_duplicates", "resend duplicates"),
    ("resend_events_per_s", "resend ev/s"),
    ("batch_events_per_s", "batches of 1,000 ev/s"),
    ("http_events_per_s", "HTTP batches of 1,000 ev/s"),
    ("bill_run_s", "bill run s"),
    ("queries_per_invoice", "queries/invoice"),
]


def main(events, contracts):
    odoo_path, odoo_python, conn, conf = common.setup()
    base = common.ensure_base(
        conn, odoo_path, odoo_python, "facturo_bench_usage", ADDONS
    )
    rows = []
    for usage in (True, False):
        row = measure(
            conn, odoo_path, odoo_python, conf, base, events, contracts, usage
        )
        rows.append(row)
        print(json.dumps(row), flush=True)
    common.print_table(rows, COLUMNS)
    with_usage, without = rows
    overhead = with_usage["bill_run_s"] / without["bill_run_s"] - 1
    print(
        f"usage adds {100 * overhead:.0f} % to the bill run of {contracts} "
        f"contracts ({events} events)"
    )


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:]]
    main(*(args + [1000000, 1000][len(args) :]))
