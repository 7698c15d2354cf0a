"""Bench: a dunning run of dunning_levels next to OCA account_credit_control.

Usage: python bench/dunning_run.py [N ...] [ours] [oca]   (default: 1000 10000)

N customers with 5 posted overdue invoices each (5,000 invoices for 1,000
customers), 1 to 100 days late on the run date. Needs the Odoo 19 tree that
bin/layer2.py uses and OCA account_credit_control 19.0 installed beside it
(``pip install --no-deps odoo-addon-account-credit-control`` in Odoo's
Python). A database with both addons is built once from the layer-2
dependencies template; every measurement runs in a fresh copy of it, in its
own process (bench/dunning_run_worker.py), so memory figures are per run.
Prints one JSON row per run, a table and the ratios.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

BASE = "facturo_bench_dunning"
ADDONS = ["dunning_levels", "account_credit_control"]


def measure(conn, odoo_path, odoo_python, conf, n, engine):
    base = common.ensure_base(conn, odoo_path, odoo_python, BASE, ADDONS)
    return common.measure_on_copy(
        conn,
        base,
        f"facturo_measure_dunning_{engine}_{n}",
        lambda database: common.run_worker(
            odoo_path,
            odoo_python,
            conf,
            database,
            "dunning_run_worker.py",
            {"BENCH_N": str(n), "BENCH_ENGINE": engine},
            f"{engine} at {n}",
        ),
    )


COLUMNS = [
    ("engine", "engine"),
    ("customers", "customers"),
    ("invoices", "invoices"),
    ("step", "step"),
    ("seconds", "s"),
    ("customers_per_s", "customers/s"),
    ("queries_per_customer", "queries/customer"),
    ("output", "output"),
    ("peak_rss_mb", "peak RSS MB"),
]


def rows_of(result):
    """One table row per measured step of a worker result."""
    for step in result["steps"]:
        yield {**result, **step}


def main(sizes, engines):
    odoo_path, odoo_python, conn, conf = common.setup()
    rows = []
    for n in sizes:
        for engine in engines:
            result = measure(conn, odoo_path, odoo_python, conf, n, engine)
            print(json.dumps(result), flush=True)
            rows.extend(rows_of(result))
    common.print_table(rows, COLUMNS)
    for n in sizes:
        oca = next(
            (r for r in rows if r["customers"] == n and r["engine"] == "oca"), None
        )
        for row in rows:
            if oca and row["customers"] == n and row["engine"] == "ours":
                print(
                    f"N={n}: dunning_levels {row['step']} {row['seconds']} s, OCA "
                    f"{oca['step']} {oca['seconds']} s: "
                    f"x{oca['seconds'] / row['seconds']:.1f} faster"
                )


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = [arg for arg in args if arg in ("ours", "oca")] or ["ours", "oca"]
    main([int(arg) for arg in args if arg.isdigit()] or [1000, 10000], chosen)
