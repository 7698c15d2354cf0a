"""Bench: the FEC export of ledger_export next to Odoo 19's own FEC generator.

Usage: python bench/fec_export.py [N ...] [--anchor-max=M]
       (default: 100000 1000000; the anchor runs up to M lines, default all)

Needs the Odoo 19 tree that bin/layer2.py uses. A database with ledger_export
and l10n_fr_account (the anchor, bench only: the addon does not depend on it)
is built once from the layer-2 dependencies template; each size runs in a
fresh copy of it: one process fills a French company's 2025 ledger with N
journal items by SQL (bench/fec_export_worker.py), then each engine runs in
its own process, so the peak RSS is that engine's. Prints one JSON line per
run, a table and the ratios.
"""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import layer2  # noqa: E402

BASE = "facturo_bench_fec"
ADDONS = ["ledger_export", "l10n_fr_account"]


def step(odoo_path, odoo_python, conf, database, name, n):
    return common.run_worker(
        odoo_path,
        odoo_python,
        conf,
        database,
        "fec_export_worker.py",
        {"BENCH_N": str(n), "BENCH_STEP": name},
        f"{name} at {n}",
    )


COLUMNS = [
    ("engine", "engine"),
    ("lines", "journal items"),
    ("seconds", "export s"),
    ("file_and_checks_s", "file + checks s"),
    ("attachment_s", "attachment s"),
    ("lines_per_s", "lines/s"),
    ("peak_rss_mb", "peak RSS MB"),
    ("rss_before_mb", "RSS before MB"),
    ("bytes", "file bytes"),
]


def main(sizes, anchor_max):
    odoo_path, odoo_python, conn, conf = common.setup()
    base = common.ensure_base(conn, odoo_path, odoo_python, BASE, ADDONS)
    rows = []
    for n in sizes:
        database = f"facturo_measure_fec_{n}"
        layer2.copy_database(conn, base, database, common.ROLE)
        try:
            setup = step(odoo_path, odoo_python, conf, database, "setup", n)
            print(json.dumps(setup), flush=True)
            engines = ["ours", "ours_file"] + (["anchor"] if n <= anchor_max else [])
            for engine in engines:
                row = step(odoo_path, odoo_python, conf, database, engine, n)
                row["lines_per_s"] = round(row["lines"] / max(row["seconds"], 0.1))
                row["size"] = n
                rows.append(row)
                print(json.dumps(row), flush=True)
        finally:
            if not os.environ.get("BENCH_KEEP_DB"):
                layer2.drop_database(conn, database)
    common.print_table(rows, COLUMNS)
    for n in sizes:
        found = {r["engine"]: r for r in rows if r["size"] == n}
        anchor = found.get("l10n_fr_account")
        for name in ("ledger_export", "ledger_export (file only)"):
            ours = found.get(name)
            if ours and anchor:
                print(
                    f"N={n}: {name} {ours['seconds']} s, {ours['peak_rss_mb']} MB; "
                    f"l10n_fr_account {anchor['seconds']} s, "
                    f"{anchor['peak_rss_mb']} MB: "
                    f"x{anchor['seconds'] / max(ours['seconds'], 0.1):.2f} faster, "
                    f"x{anchor['peak_rss_mb'] / ours['peak_rss_mb']:.1f} less memory"
                )


if __name__ == "__main__":
    args = sys.argv[1:]
    limit = next(
        (int(a.split("=", 1)[1]) for a in args if a.startswith("--anchor-max=")),
        10**12,
    )
    main([int(a) for a in args if a.isdigit()] or [100000, 1000000], limit)
