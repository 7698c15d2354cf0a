"""Bench: automatic collection of recurring_payment with the demo provider.

Usage: python bench/collection.py [N ...]   (default: 1000 10000)

N posted invoices, each with a demo payment token that pays: the collection
cron charges them, account_payment creates, posts and reconciles the
payments. Time, queries per invoice, peak memory (of the worker process, which
also created the invoices). Needs the Odoo 19 tree of bin/layer2.py; the
database (recurring_payment and payment_demo) is built once from the layer-2
dependencies template; each measurement runs in a fresh copy of it, in its
own process (bench/collection_worker.py).
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

BASE = "facturo_bench_collection"
ADDONS = ["recurring_payment", "payment_demo"]
COLUMNS = [
    ("invoices", "invoices"),
    ("seconds", "s"),
    ("invoices_per_s", "invoices/s"),
    ("queries_per_invoice", "queries/invoice"),
    ("paid", "paid"),
    ("peak_rss_mb", "peak RSS MB"),
]


def main(sizes):
    odoo_path, odoo_python, conn, conf = common.setup()
    base = common.ensure_base(conn, odoo_path, odoo_python, BASE, ADDONS)
    rows = []
    for n in sizes:
        result = common.measure_on_copy(
            conn,
            base,
            f"facturo_measure_collection_{n}",
            lambda database, n=n: common.run_worker(
                odoo_path,
                odoo_python,
                conf,
                database,
                "collection_worker.py",
                {"BENCH_N": str(n)},
                f"collection of {n}",
            ),
        )
        print(json.dumps(result), flush=True)
        rows.append(result)
    common.print_table(rows, COLUMNS)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [1000, 10000])
