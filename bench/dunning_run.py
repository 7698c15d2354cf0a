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
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bin"))

import layer2  # noqa: E402

BASE = "facturo_bench_dunning"
ADDONS = ["dunning_levels", "account_credit_control"]


def ensure_base(conn, odoo_path, odoo_python, role):
    if layer2.database_exists(conn, BASE):
        return BASE
    deps = layer2.dependencies(["dunning_levels"])
    template = layer2.ensure_template(conn, odoo_path, odoo_python, role, deps)
    layer2.copy_database(conn, template, BASE, role)
    cmd = layer2.odoo_command(
        odoo_path, odoo_python, BASE, role, "--init=" + ",".join(ADDONS)
    )
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode:
        layer2.drop_database(conn, BASE)
        raise SystemExit(
            "bench: installing the bench database failed\n" + result.stdout[-3000:]
        )
    return BASE


def config_file(odoo_path, role):
    params = layer2.pg_params()
    handle = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    handle.write(
        "[options]\n"
        f"addons_path = {odoo_path / 'addons'},{odoo_path / 'odoo' / 'addons'},"
        f"{layer2.ROOT}\n"
        f"data_dir = {layer2.DATA_DIR}\n"
        f"db_host = {params['host']}\n"
        f"db_port = {params['port']}\n"
        f"db_user = {role}\n"
        "max_cron_threads = 0\n"
        "log_level = warn\n"
    )
    handle.close()
    return handle.name


def measure(conn, odoo_path, odoo_python, role, conf, n, engine):
    database = f"facturo_bench_dunning_{engine}_{n}"
    base = ensure_base(conn, odoo_path, odoo_python, role)
    layer2.copy_database(conn, base, database, role)
    worker = (HERE / "dunning_run_worker.py").read_text()
    command = [str(odoo_python), str(odoo_path / "odoo-bin"), "shell", "--no-http"]
    try:
        result = subprocess.run(
            [*command, "-c", conf, "-d", database],
            input=worker,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "BENCH_N": str(n), "BENCH_ENGINE": engine},
        )
    finally:
        layer2.drop_database(conn, database)
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode or not lines:
        raise SystemExit(f"bench: {engine} at {n} failed\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


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
    odoo_path, odoo_python = layer2.odoo_tree()
    layer2.ensure_postgres()
    conn = layer2.admin_connection()
    role = "odoo"
    layer2.ensure_role(conn, role)
    conf = config_file(odoo_path, role)
    rows = []
    for n in sizes:
        for engine in engines:
            result = measure(conn, odoo_path, odoo_python, role, conf, n, engine)
            print(json.dumps(result), flush=True)
            rows.extend(rows_of(result))
    print()
    print(" | ".join(title for _key, title in COLUMNS))
    print(" | ".join("---" for _ in COLUMNS))
    for row in rows:
        print(" | ".join(str(row[key]) for key, _title in COLUMNS))
    print()
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
