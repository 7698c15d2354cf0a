"""Layer 2, upgrade: a database of the layout before the split upgrades intact.

Usage: ``python bin/upgrade_check.py`` (``bin/test`` runs it after layer 2).

Until commit ``fa67c21`` Factur-X lived in ``consolidated_invoice`` and the
late-payment terms in ``dunning_levels``. This script

1. extracts the addons of that commit (``git archive``) into a temporary
   folder and installs them on a copy of the layer-2 dependencies template;
2. in an ``odoo-bin shell`` (``bin/upgrade/populate_old.py``), sets up a
   French Factur-X company (contractual late-payment rate, indemnity,
   discount terms, VAT on debits, a half-year added to the rate table),
   issues and archives invoices and a credit note carrying buyer and purchase
   order references and service periods, and records what it made;
3. upgrades the database with today's addons
   (``-u consolidated_invoice,dunning_levels,recurring_billing``): the run
   fails on an ERROR or CRITICAL line or a WARNING of our addons;
4. in a shell of the upgraded database (``bin/upgrade/verify_new.py``),
   checks that the new addons are installed, that every archive entry is
   there byte for byte and every chain intact
   (``facturx.archive._check_integrity()``), that the settings, rate rows and
   references kept their values under their new owners and names, that no
   record was duplicated, and that a new invoice is issued and chained.

Odoo, PostgreSQL and the dependencies template are found as ``bin/layer2.py``
finds them (same environment variables); without Odoo it says so and exits 0.
``KEEP_DB=1`` keeps the database; the Odoo logs are in ``.odoo-test/``.
"""

import ast
import json
import os
import subprocess
import tempfile
from pathlib import Path

import layer2

OLD_COMMIT = "fa67c21"
OLD_ADDONS = ["recurring_billing", "consolidated_invoice", "dunning_levels"]
HERE = Path(__file__).resolve().parent


def extract_old_addons(target):
    archive = subprocess.run(
        ["git", "-C", str(layer2.ROOT), "archive", OLD_COMMIT, *OLD_ADDONS],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def old_dependencies(addons_dir):
    deps = set()
    for addon in OLD_ADDONS:
        text = (addons_dir / addon / "__manifest__.py").read_text()
        deps.update(ast.literal_eval(text).get("depends", []))
    return sorted(deps - set(OLD_ADDONS))


def config(odoo_path, addons_dir, role, name):
    params = layer2.pg_params()
    path = Path(tempfile.gettempdir()) / f"facturo_upgrade_{os.getpid()}_{name}.conf"
    path.write_text(
        "[options]\n"
        f"addons_path = {odoo_path / 'addons'},{odoo_path / 'odoo' / 'addons'},"
        f"{addons_dir}\n"
        f"data_dir = {layer2.DATA_DIR}\n"
        f"db_host = {params['host']}\n"
        f"db_port = {params['port']}\n"
        f"db_user = {role}\n"
        "max_cron_threads = 0\n"
        "http_interface = 127.0.0.1\n"
    )
    return str(path)


def run_odoo(odoo_bin, conf, database, log_name, *args):
    """``odoo-bin`` with ``args`` until it stops; the log checked as layer 2
    checks it. Returns the list of problems."""
    layer2.LOG_DIR.mkdir(exist_ok=True)
    log_path = layer2.LOG_DIR / log_name
    check = layer2.LogCheck(["account_invoice_fr", "account_facturx_fr", *OLD_ADDONS])
    cmd = [*odoo_bin, "-c", conf, "-d", database, "--log-level=info",
           f"--http-port={layer2.free_port()}", "--stop-after-init", *args]  # fmt: skip
    with (
        log_path.open("w") as log,
        subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc,
    ):
        for line in proc.stdout:
            log.write(line)
            check.feed(line.rstrip("\n"))
        returncode = proc.wait()
    problems = list(check.problems)
    if returncode:
        problems.append(f"odoo-bin {' '.join(args)} exited with {returncode}")
    return problems


def run_shell(odoo_bin, conf, database, script, env):
    """``script`` in an ``odoo-bin shell``, with an Odoo server on the same
    database serving the report assets to wkhtmltopdf; its last JSON line."""
    port = layer2.free_port()
    server = subprocess.Popen(
        [*odoo_bin, "-c", conf, "-d", database, f"--http-port={port}",
         "--workers=0", "--log-level=warn"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        layer2.wait_for_port(port, timeout=180, who="upgrade check")
        result = subprocess.run(
            [*odoo_bin, "shell", "--no-http", "-c", conf, "-d", database,
             "--log-level=warn"],
            input=(HERE / "upgrade" / script).read_text(),
            capture_output=True,
            text=True,
            check=False,
            env={
                **os.environ,
                **env,
                "UPGRADE_REPORT_URL": f"http://127.0.0.1:{port}",
            },
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode or not lines:
        raise SystemExit(
            f"upgrade check: {script} failed\n{result.stdout[-2000:]}"
            f"\n{result.stderr[-4000:]}"
        )
    return json.loads(lines[-1])


def main():
    odoo_path, odoo_python = layer2.odoo_tree()
    known = subprocess.run(
        ["git", "-C", str(layer2.ROOT), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode:
        layer2.say(f"upgrade check: skipped (commit {OLD_COMMIT} is not in this clone)")
        return
    layer2.ensure_postgres()
    role = os.environ.get("ODOO_DB_USER", "odoo")
    conn = layer2.admin_connection()
    layer2.ensure_role(conn, role)
    layer2.DATA_DIR.mkdir(parents=True, exist_ok=True)
    odoo_bin = [str(odoo_python), str(odoo_path / "odoo-bin")]
    database = f"facturo_upgrade_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="facturo_old_") as tmp:
        old_dir = Path(tmp)
        extract_old_addons(old_dir)
        deps = old_dependencies(old_dir)
        template = layer2.ensure_template(conn, odoo_path, odoo_python, role, deps)
        layer2.copy_database(conn, template, database, role)
        old_conf = config(odoo_path, old_dir, role, "old")
        new_conf = config(odoo_path, layer2.ROOT, role, "new")
        try:
            layer2.say(
                f"upgrade check: installing the {OLD_COMMIT} layout in {database}"
            )
            problems = run_odoo(
                odoo_bin, old_conf, database, "upgrade_install.log",
                "--init=" + ",".join(OLD_ADDONS),
            )  # fmt: skip
            if problems:
                raise SystemExit(
                    "upgrade check: the old install failed\n" + "\n".join(problems)
                )
            before = run_shell(odoo_bin, old_conf, database, "populate_old.py", {})
            layer2.say(
                f"upgrade check: {len(before['archive'])} archived documents, "
                f"{len(before['rates'])} rate rows, {len(before['moves'])} invoices; "
                "upgrading with today's addons"
            )
            problems = run_odoo(
                odoo_bin, new_conf, database, "upgrade_update.log",
                "-u", ",".join(OLD_ADDONS),
            )  # fmt: skip
            if problems:
                raise SystemExit(
                    "upgrade check: the upgrade failed\n" + "\n".join(problems)
                )
            after = run_shell(
                odoo_bin, new_conf, database, "verify_new.py",
                {"UPGRADE_BEFORE": json.dumps(before)},
            )  # fmt: skip
        finally:
            if not os.environ.get("KEEP_DB"):
                layer2.drop_database(conn, database)
    for line in after["checked"]:
        layer2.say(f"upgrade check: ok: {line}")
    for line in after["problems"]:
        layer2.say(f"upgrade check: PROBLEM: {line}")
    if after["problems"]:
        raise SystemExit(f"upgrade check: FAILED ({len(after['problems'])} problems)")
    layer2.say("upgrade check: passed")


if __name__ == "__main__":
    main()
