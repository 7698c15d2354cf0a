"""Bench: Factur-X issue of N invoices next to Odoo's plain PDF and Odoo's CII.

Usage: python bench/facturx.py [N]   (default: 200)

Needs the Odoo 19 tree that bin/layer2.py uses, Ghostscript and wkhtmltopdf.
A database with account_facturx_fr (and account_edi_ubl_cii) installed is
built once from the layer-2 dependencies template; each run works in a fresh
copy of it. An Odoo server is started on that copy to serve the report assets
to wkhtmltopdf, and the measurement runs in an ``odoo-bin shell`` process
(bench/facturx_worker.py). Prints the JSON row, a table and the targets:
validation ≤ 150 ms per invoice amortised, Factur-X issue ≤ 2 × Odoo's
plain PDF rendering; and the anchor: the fatal BR-FR rules Odoo's own CII
breaks on an invoice and on a credit note.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import layer2  # noqa: E402

BASE = "facturo_bench_facturx"
ADDONS = ["account_facturx_fr", "account_edi_ubl_cii"]


def measure(conn, odoo_path, odoo_python, conf, n):
    database = f"facturo_measure_facturx_{n}"
    base = common.ensure_base(conn, odoo_path, odoo_python, BASE, ADDONS)
    layer2.copy_database(conn, base, database, common.ROLE)
    port = layer2.free_port()
    odoo_bin = [str(odoo_python), str(odoo_path / "odoo-bin")]
    server = subprocess.Popen(
        [*odoo_bin, "-c", conf, "-d", database, f"--http-port={port}",
         "--http-interface=127.0.0.1", "--workers=0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        layer2.wait_for_port(port, timeout=120, who="bench")
        result = subprocess.run(
            [*odoo_bin, "shell", "--no-http", "-c", conf, "-d", database],
            input=(HERE / "facturx_worker.py").read_text(),
            capture_output=True,
            text=True,
            check=False,
            env={
                **os.environ,
                "BENCH_N": str(n),
                "BENCH_REPORT_URL": f"http://127.0.0.1:{port}",
            },
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
        layer2.drop_database(conn, database)
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode or not lines:
        raise SystemExit(f"bench: Factur-X at {n} failed\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


COLUMNS = [
    ("invoices", "invoices"),
    ("plain_pdf_ms_per_invoice", "plain PDF ms/inv"),
    ("xml_build_ms_per_invoice", "XML build ms/inv"),
    ("validation_ms_per_invoice", "validation ms/inv"),
    ("pdfa_embed_check_ms_per_invoice", "PDF/A+embed+check ms/inv"),
    ("issue_vs_plain", "Factur-X issue / plain PDF"),
    ("odoo_cii_ms_per_invoice", "Odoo CII ms/inv"),
    ("our_errors", "our errors"),
    ("odoo_invoice_br_fr_fatal", "Odoo CII BR-FR fatal (invoice)"),
    ("odoo_credit_note_br_fr_fatal", "Odoo CII BR-FR fatal (credit note)"),
    ("peak_rss_mb", "peak RSS MB"),
]


def main(n):
    odoo_path, odoo_python, conn, conf = common.setup()
    row = measure(conn, odoo_path, odoo_python, conf, n)
    print(json.dumps(row), flush=True)
    common.print_table([row], COLUMNS)
    validation = row["validation_ms_per_invoice"]
    print(
        f"validation {validation} ms per invoice amortised (target ≤ 150): "
        + ("met" if validation <= 150 else "MISSED")
    )
    ratio = row["issue_vs_plain"]
    print(
        f"Factur-X issue {row['facturx_issue_s']} s = x{ratio} Odoo's plain PDF "
        f"{row['plain_pdf_s']} s (target ≤ x2): " + ("met" if ratio <= 2 else "MISSED")
    )
    invoice_rules = sorted(set(row["odoo_invoice_br_fr_rules"]))
    credit_rules = sorted(set(row["odoo_credit_note_br_fr_rules"]))
    print(
        "Odoo's own CII through the pipeline: "
        f"{row['odoo_invoice_br_fr_fatal']} fatal BR-FR asserts on an invoice "
        f"({len(invoice_rules)} rules: {', '.join(invoice_rules)}), "
        f"{row['odoo_credit_note_br_fr_fatal']} on a credit note "
        f"({len(credit_rules)} rules: {', '.join(credit_rules)}); ours: "
        f"{row['our_errors']} error(s) on {row['invoices']} invoices, "
        f"{row['our_credit_note_errors']} on the credit note"
    )
    print(
        "Send flow with account_edi_ubl_cii installed: embedded "
        f"{row['send_flow_embedded_files']} ({row['send_flow_xml_errors']} "
        "validation errors), PDF problems "
        f"{row['send_flow_pdf_problems'] or 'none'}, Odoo's CII attached: "
        f"{row['send_flow_odoo_cii_attached']}, archived: {row['send_flow_archived']}"
    )


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    main(args[0] if args else 200)
