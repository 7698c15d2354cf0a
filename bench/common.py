"""What every bench shares: the Odoo tree of layer 2, a database with the
addons it measures (built once per version of their files), an Odoo config
file, and a worker script run in an ``odoo-bin shell`` of its own (so that its
peak memory is its own) that prints its figures as JSON lines.

Only the standard library and ``bin/layer2.py``.
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

ROLE = "odoo"


def setup():
    """``(odoo_path, odoo_python, admin connection, config file)``, PostgreSQL
    started and the role there; exits with layer 2's message without Odoo."""
    odoo_path, odoo_python = layer2.odoo_tree()
    layer2.ensure_postgres()
    conn = layer2.admin_connection()
    layer2.ensure_role(conn, ROLE)
    return odoo_path, odoo_python, conn, config_file(odoo_path, ROLE)


def ensure_base(conn, odoo_path, odoo_python, prefix, addons, role=ROLE):
    """The database named ``prefix`` + the version of our addons' files, with
    ``addons`` installed on the layer-2 template of their dependencies; built
    once, older versions dropped."""
    base = f"{prefix}_{layer2.source_key(addons)}"
    if layer2.database_exists(conn, base):
        return base
    with conn.cursor() as cr:
        cr.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [prefix.replace("_", r"\_") + r"\_%"],
        )
        stale = [name for (name,) in cr.fetchall()]
    for name in stale:
        layer2.drop_database(conn, name)
    ours = [a for a in addons if (layer2.ROOT / a / "__manifest__.py").is_file()]
    deps = layer2.dependencies(layer2.with_local_dependencies(ours))
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


def config_file(odoo_path, role=ROLE):
    """An Odoo config file for the bench processes (no cron thread)."""
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


def run_worker(odoo_path, odoo_python, conf, database, worker, env, what):
    """Run ``bench/<worker>`` in an ``odoo-bin shell`` on ``database`` with
    ``env`` added to the environment; returns its last JSON line."""
    script = (HERE / worker).read_text()
    command = [str(odoo_python), str(odoo_path / "odoo-bin"), "shell", "--no-http"]
    result = subprocess.run(
        [*command, "-c", conf, "-d", database],
        input=script,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode or not lines:
        raise SystemExit(f"bench: {what} failed\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure_on_copy(conn, base, database, run):
    """``run(database)`` on a fresh copy of ``base``, dropped afterwards."""
    layer2.copy_database(conn, base, database, ROLE)
    try:
        return run(database)
    finally:
        layer2.drop_database(conn, database)


def print_table(rows, columns):
    """A Markdown table of ``rows`` (dicts) under ``columns`` (key, title)."""
    print()
    print(" | ".join(title for _key, title in columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(str(row.get(key, "")) for key, _title in columns))
    print()
