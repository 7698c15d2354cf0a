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
   events: the overhead of usage.

Prints one JSON line per database and a table.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

ADDONS = ["recurring_usage"]


def measure(conn, odoo_path, odoo_python, conf, base, events, contracts, usage):
    return common.measure_on_copy(
        conn,
        base,
        f"facturo_measure_usage_{contracts}_{int(usage)}",
        lambda database: common.run_worker(
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
        ),
    )


COLUMNS = [
    ("events", "events"),
    ("contracts", "contracts"),
    ("import_events_per_s", "import ev/s"),
    ("import_peak_rss_mb", "import peak RSS MB"),
    ("resend_duplicates", "resend duplicates"),
    ("resend_events_per_s", "resend ev/s"),
    ("batch_events_per_s", "batches of 1,000 ev/s"),
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
