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
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bin"))

import layer2  # noqa: E402

# engine -> (database with the addons installed, the addons)
BASES = {
    "ours": ("facturo_bench_base", ["recurring_billing", "contract"]),
    "oca": ("facturo_bench_base", ["recurring_billing", "contract"]),
    "consolidated": (
        "facturo_bench_consolidated",
        ["recurring_billing", "consolidated_invoice", "contract"],
    ),
}


def ensure_base(conn, odoo_path, odoo_python, role, engine):
    """The database with the engine's addons installed, built once per version
    of their files (older versions are dropped)."""
    prefix, addons = BASES[engine]
    base = f"{prefix}_{layer2.source_key(addons)}"
    if layer2.database_exists(conn, base):
        return base
    with conn.cursor() as cr:
        cr.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [prefix + "%"],
        )
        for (stale,) in cr.fetchall():
            layer2.drop_database(conn, stale)
    deps = layer2.dependencies(["recurring_billing"])
    template = layer2.ensure_template(conn, odoo_path, odoo_python, role, deps)
    layer2.copy_database(conn, template, base, role)
    cmd = layer2.odoo_command(
        odoo_path, odoo_python, base, role, "--init=" + ",".join(addons)
    )
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode:
        layer2.drop_database(conn, base)
        raise SystemExit(
            "bench: installing the bench database failed\n" + result.stdout[-3000:]
        )
    return base


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
    database = f"facturo_bench_{engine}_{n}"
    base = ensure_base(conn, odoo_path, odoo_python, role, engine)
    layer2.copy_database(conn, base, database, role)
    worker = (HERE / "recurring_invoicing_worker.py").read_text()
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
    odoo_path, odoo_python = layer2.odoo_tree()
    layer2.ensure_postgres()
    conn = layer2.admin_connection()
    role = "odoo"
    layer2.ensure_role(conn, role)
    conf = config_file(odoo_path, role)
    rows = []
    for n in sizes:
        for engine in engines:
            row = measure(conn, odoo_path, odoo_python, role, conf, n, engine)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(" | ".join(title for _key, title in COLUMNS))
    print(" | ".join("---" for _ in COLUMNS))
    for row in rows:
        print(" | ".join(str(row[key]) for key, _title in COLUMNS))
    print()
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


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = [arg for arg in args if arg in BASES] or ["ours", "oca"]
    main([int(arg) for arg in args if arg.isdigit()] or [1000, 10000], chosen)
