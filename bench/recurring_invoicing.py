"""Bench: the daily invoicing cron of recurring_billing next to OCA contract.

Usage: python bench/recurring_invoicing.py [N ...]   (default: 1000 10000)

Needs the Odoo 19 tree that bin/layer2.py uses, and OCA contract 19.0 installed
beside it (``pip install --no-deps odoo-addon-contract`` in Odoo's Python).
A database with recurring_billing and contract installed is built once from
the layer-2 dependencies template; every measurement runs in a fresh copy of
it, in its own process (bench/recurring_invoicing_worker.py), so memory
figures are per run. Prints one row per run and the ratios.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

# engine -> (database with the addons installed, the addons); Odoo's
# e-invoicing module, auto-installed with account in real databases, is in
# every one (consolidated_invoice depends on it)
BASES = {
    "ours": (
        "facturo_bench_base",
        ["recurring_billing", "contract", "account_edi_ubl_cii"],
    ),
    "oca": (
        "facturo_bench_base",
        ["recurring_billing", "contract", "account_edi_ubl_cii"],
    ),
    "consolidated": (
        "facturo_bench_consolidated",
        ["recurring_billing", "consolidated_invoice", "contract"],
    ),
}


def ensure_base(conn, odoo_path, odoo_python, engine):
    prefix, addons = BASES[engine]
    return common.ensure_base(conn, odoo_path, odoo_python, prefix, addons)


def measure(conn, odoo_path, odoo_python, conf, n, engine):
    base = ensure_base(conn, odoo_path, odoo_python, engine)
    return common.measure_on_copy(
        conn,
        base,
        f"facturo_measure_{engine}_{n}",
        lambda database: common.run_worker(
            odoo_path,
            odoo_python,
            conf,
            database,
            "recurring_invoicing_worker.py",
            {"BENCH_N": str(n), "BENCH_ENGINE": engine},
            f"{engine} at {n}",
        ),
    )


COLUMNS = [
    ("engine", "engine"),
    ("contracts", "contracts"),
    ("invoices", "invoices"),
    ("contracts_per_s", "contracts/s"),
    ("invoices_per_s", "invoices/s"),
    ("queries_per_invoice_before_posting", "queries/inv (draft)"),
    ("queries_per_invoice_total", "queries/inv (posted)"),
    ("create_s", "create s"),
    ("post_s", "post s"),
    ("peak_rss_mb", "peak RSS MB"),
]


def main(sizes, engines=("ours", "oca")):
    odoo_path, odoo_python, conn, conf = common.setup()
    rows = []
    for n in sizes:
        for engine in engines:
            row = measure(conn, odoo_path, odoo_python, conf, n, engine)
            rows.append(row)
            print(json.dumps(row), flush=True)
    common.print_table(rows, COLUMNS)
    for n in sizes:
        found = {r["engine"]: r for r in rows if r["contracts"] == n}
        oca = found.get("oca")
        for engine, row in found.items():
            if oca and engine != "oca":
                ratio = row["contracts_per_s"] / oca["contracts_per_s"]
                print(
                    f"N={n}: {engine} {row['contracts_per_s']} contracts/s, OCA "
                    f"contract {oca['contracts_per_s']} contracts/s: x{ratio:.2f}"
                )
            if engine != "oca" and row.get("workers") == 1:
                print_odoo_share(row, oca)


def print_odoo_share(row, oca):
    """How much of a one-worker run Odoo's own account.move create and post
    take, and the best contracts/s the run could reach if everything else
    cost nothing."""
    total = row["contracts"] / row["contracts_per_s"]
    odoo = row["odoo_create_s_main_process"] + row["post_s"]
    line = (
        f"N={row['contracts']}: {row['engine']}: Odoo's account.move create + "
        f"post {odoo:.1f} s of {total:.1f} s ({100 * odoo / total:.0f} %); "
        f"with our own code at zero: {row['contracts'] / odoo:.1f} contracts/s"
    )
    if oca:
        line += f" (x{row['contracts'] / odoo / oca['contracts_per_s']:.2f} OCA)"
    print(line)


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = [arg for arg in args if arg in BASES] or ["ours", "oca"]
    main([int(arg) for arg in args if arg.isdigit()] or [1000, 10000], chosen)
