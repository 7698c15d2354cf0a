"""Bench: SEPA direct debit of recurring invoices (recurring_payment_sepa).

Usage: python bench/collection_sepa.py [N ...]   (default: 1000 10000)
       python bench/collection_sepa.py --file-only 10000

N posted invoices, each with its customer's SEPA mandate, due today: the cron
puts them on one direct-debit payment order, which is confirmed (N payments),
its pain.008 file generated (and validated by OCA against the XSD), then
marked uploaded (payments posted and reconciled; not with --file-only,
which times the pain.008 of a large order). Time and queries of each
step, queries per invoice of the whole, the file's size, peak memory (of the
worker process, which also created the invoices). Needs the Odoo 19 tree of
bin/layer2.py and OCA's addons (oca-requirements.txt, installed by it); the
database is built once from the layer-2 dependencies template; each
measurement runs in a fresh copy of it, in its own process
(bench/collection_sepa_worker.py).
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

BASE = "facturo_bench_collection_sepa"
ADDONS = ["recurring_payment_sepa"]
COLUMNS = [
    ("invoices", "invoices"),
    ("order_s", "into the order s"),
    ("confirm_s", "confirm s"),
    ("file_s", "pain.008 s"),
    ("upload_s", "upload s"),
    ("seconds", "total s"),
    ("queries_per_invoice", "queries/invoice"),
    ("file_kb", "file KB"),
    ("paid", "paid"),
    ("peak_rss_mb", "peak RSS MB"),
]


def main(sizes, upload=True):
    odoo_path, odoo_python, conn, conf = common.setup()
    common.layer2.install_oca_requirements(odoo_python)
    base = common.ensure_base(conn, odoo_path, odoo_python, BASE, ADDONS)
    rows = []
    for n in sizes:
        result = common.measure_on_copy(
            conn,
            base,
            f"facturo_measure_collection_sepa_{n}",
            lambda database, n=n: common.run_worker(
                odoo_path,
                odoo_python,
                conf,
                database,
                "collection_sepa_worker.py",
                {"BENCH_N": str(n), "BENCH_UPLOAD": "1" if upload else "0"},
                f"SEPA collection of {n}",
            ),
        )
        print(json.dumps(result), flush=True)
        rows.append(result)
    common.print_table(rows, COLUMNS)


if __name__ == "__main__":
    main(
        [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [1000, 10000],
        upload="--file-only" not in sys.argv,
    )
