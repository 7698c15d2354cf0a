"""Layer 2: install the addons in a real Odoo 19 and run their tests.

Usage: ``python bin/layer2.py ADDON [ADDON ...]`` (``bin/test`` passes every
addon of the repository).

- Odoo 19 is looked for at ``$ODOO_PATH`` (default ``/opt/odoo19``) and run with
  ``$ODOO_PYTHON`` (default ``$ODOO_PATH/.venv/bin/python``). Without them, one
  line says layer 2 was skipped and why, and the script exits 0.
- PostgreSQL is reached at ``$PGHOST:$PGPORT`` (default 127.0.0.1:5432). When
  nothing answers there and a local Debian cluster exists, it is started.
  Odoo connects as ``$ODOO_DB_USER`` (default ``odoo``), created with CREATEDB
  through the ``postgres`` superuser if missing; Odoo itself never uses
  ``postgres``.
- The OCA addons of ``oca-requirements.txt`` (pinned wheels from PyPI) are
  installed into Odoo's Python with ``pip install --no-deps`` first (quick
  when present); they land in ``site-packages/odoo/addons``, which Odoo
  finds without an addons path.
- A database holding only the addons' dependencies (installed with
  ``--skip-auto-install``) is built once and kept as a template, keyed by the
  dependency list and the Odoo tree; every run copies it into a fresh database,
  installs the addons with ``--test-enable --stop-after-init``, then drops it.
- The run fails on a failed test, on no test at all, on any ERROR or CRITICAL
  log line, and on WARNING lines that come from our addons.
- ``HttpCase`` tours run when Debian's ``chromium`` is on the PATH (Odoo finds it
  there); otherwise Odoo skips them with a warning, which is reported.

Only the standard library and psycopg2 are used.
"""

import ast
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / ".odoo-test"
DATA_DIR = Path(
    os.environ.get(
        "ODOO_TEST_DATA_DIR",
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "facturo-odoo-tests",
    )
)
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|RUNBOT|\?\?\?) "
    r"(?P<db>\S+) (?P<logger>\S+): (?P<message>.*)$"
)
RESULT_LINE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
# Warnings of Odoo core that say nothing about our addons and cannot be
# avoided in a headless test run. Each is matched on (logger, message).
TOLERATED_WARNINGS = [
    # core account/sale forms use a widget only partner_autocomplete defines
    (
        re.compile(r"\.browser$"),
        re.compile(r"Missing widget: res_partner_many2one"),
    ),
    (re.compile(r"^odoo\.tests"), re.compile(r"Chrome executable not found")),
    (
        re.compile(r"^odoo\.addons\.base\.models\.ir_actions_report$"),
        re.compile(r"wkhtmltopdf"),
    ),
]


def say(message):
    print(message, flush=True)


def skip(reason, step="layer 2"):
    say(f"{step}: skipped ({reason})")
    sys.exit(0)


def odoo_tree(step="layer 2"):
    """Odoo 19's tree and Python; without them, one line says ``step`` was
    skipped and the script exits 0."""
    odoo_path = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))
    if not (odoo_path / "odoo-bin").is_file():
        skip(f"no Odoo 19 source tree at {odoo_path}; set ODOO_PATH to run it", step)
    release = (odoo_path / "odoo" / "release.py").read_text()
    match = re.search(r"^version_info = \((\d+), (\d+)", release, re.M)
    if not match or match.groups() != ("19", "0"):
        skip(f"{odoo_path} is not Odoo 19.0", step)
    odoo_python = Path(
        os.environ.get("ODOO_PYTHON", odoo_path / ".venv" / "bin" / "python")
    )
    if not odoo_python.is_file():
        skip(f"no Python for Odoo at {odoo_python}; set ODOO_PYTHON", step)
    return odoo_path, odoo_python


def pg_params():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": int(os.environ.get("PGPORT", "5432")),
    }


def ensure_postgres():
    params = pg_params()
    if _answers(params):
        return
    clusters = shutil.which("pg_lsclusters")
    if not clusters:
        raise SystemExit(
            f"layer 2: no PostgreSQL at {params['host']}:{params['port']} "
            "and no local cluster to start"
        )
    for line in subprocess.run(
        [clusters, "--no-header"], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        version, name = line.split()[:2]
        say(f"layer 2: starting PostgreSQL cluster {version}/{name}")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
            check=False,
        )
    for _attempt in range(30):
        if _answers(params):
            return
        time.sleep(1)
    raise SystemExit("layer 2: PostgreSQL did not start")


def _answers(params):
    try:
        with socket.create_connection((params["host"], params["port"]), timeout=2):
            return True
    except OSError:
        return False


def admin_connection():
    conn = psycopg2.connect(
        dbname="postgres",
        user=os.environ.get("PGSUPERUSER", "postgres"),
        **pg_params(),
    )
    conn.autocommit = True
    return conn


def ensure_role(conn, role):
    if role == "postgres":
        raise SystemExit("layer 2: Odoo refuses the postgres role; set ODOO_DB_USER")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if not cr.fetchone():
            cr.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(sql.Identifier(role))
            )


def database_exists(conn, name):
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def drop_database(conn, name):
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    shutil.rmtree(DATA_DIR / "filestore" / name, ignore_errors=True)


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def with_local_dependencies(addons):
    """The addons plus those of this repository they depend on, so that the
    dependencies template never holds an addon of ours (it would go stale)."""
    local = {p.parent.name for p in ROOT.glob("*/__manifest__.py")}
    selected, todo = [], list(addons)
    while todo:
        addon = todo.pop()
        if addon in selected:
            continue
        selected.append(addon)
        todo.extend(d for d in manifest(addon).get("depends", []) if d in local)
    return sorted(selected)


def source_key(addons):
    """A short hash of the files of the repository's addons among ``addons``
    (and of those they depend on): a database built from other files is
    stale. Benchmarks name the databases they keep after it."""
    digest = hashlib.sha256()
    for addon in with_local_dependencies(
        [a for a in addons if (ROOT / a / "__manifest__.py").is_file()]
    ):
        for path in sorted((ROOT / addon).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


#: Odoo addons that an addon's tests need but the addon itself does not
#: depend on: they go into the dependencies template with the rest.
TEST_DEPENDENCIES = {
    # charges with the demo provider's simulated outcomes
    "recurring_payment": ["payment_demo"],
    "consolidated_invoice_payment": ["payment_demo"],
    # its tests build on recurring_payment's (demo provider and tokens)
    "recurring_payment_sepa": ["payment_demo"],
}

#: OCA addons installed from the package registry (pinned, with --no-deps)
OCA_REQUIREMENTS = ROOT / "oca-requirements.txt"


def install_oca_requirements(odoo_python):
    """Install the OCA wheels of ``oca-requirements.txt`` into Odoo's Python
    with ``--no-deps`` (as OCA's CI does: their wheels require ``odoo``, which
    is the tree itself). Quick when they are installed already."""
    if not OCA_REQUIREMENTS.is_file():
        return
    proc = subprocess.run(
        [str(odoo_python), "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "-r", str(OCA_REQUIREMENTS)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if proc.returncode:
        raise SystemExit(
            f"layer 2: installing {OCA_REQUIREMENTS.name} into {odoo_python} "
            f"failed:\n{proc.stdout}{proc.stderr}"
        )


def oca_requirements_key():
    """The pinned OCA wheels, part of a dependencies template's key: another
    version makes another template."""
    if not OCA_REQUIREMENTS.is_file():
        return ""
    return hashlib.sha256(OCA_REQUIREMENTS.read_bytes()).hexdigest()[:12]


def dependencies(addons):
    deps = set()
    for addon in addons:
        deps.update(manifest(addon).get("depends", []))
        deps.update(TEST_DEPENDENCIES.get(addon, []))
    return sorted(deps - set(addons))


def odoo_command(odoo_path, odoo_python, database, role, *args):
    addons_path = ",".join(
        [str(odoo_path / "addons"), str(odoo_path / "odoo" / "addons"), str(ROOT)]
    )
    params = pg_params()
    return [
        str(odoo_python),
        str(odoo_path / "odoo-bin"),
        f"--addons-path={addons_path}",
        f"--data-dir={DATA_DIR}",
        f"--database={database}",
        f"--db_host={params['host']}",
        f"--db_port={params['port']}",
        f"--db_user={role}",
        "--max-cron-threads=0",
        f"--http-port={free_port()}",
        "--http-interface=127.0.0.1",
        "--log-level=info",
        "--stop-after-init",
        *args,
    ]


def wait_for_port(port, timeout=180, who="layer 2"):
    """Wait until something listens on 127.0.0.1:``port`` (an Odoo server
    started in the background), or stop with ``who``'s message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise SystemExit(f"{who}: the Odoo server did not listen on {port}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oca_addon_names():
    """The addons ``oca-requirements.txt`` installs (``odoo-addon-x-y`` is the
    addon ``x_y``)."""
    if not OCA_REQUIREMENTS.is_file():
        return set()
    names = re.findall(
        r"^odoo-addon-([\w-]+)==", OCA_REQUIREMENTS.read_text(), re.MULTILINE
    )
    return {name.replace("-", "_") for name in names}


def template_name(odoo_path, deps):
    release = odoo_path / "odoo" / "release.py"
    key = "|".join([str(odoo_path), str(release.stat().st_mtime), *deps])
    oca_addons = oca_addon_names()
    if any(dep in oca_addons for dep in deps):
        key += "|" + oca_requirements_key()
    return "facturo_deps_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def ensure_template(conn, odoo_path, odoo_python, role, deps):
    name = template_name(odoo_path, deps)
    if database_exists(conn, name) and (DATA_DIR / "filestore" / name).is_dir():
        return name
    drop_database(conn, name)
    building = name + "_building"
    drop_database(conn, building)
    say(f"layer 2: building the dependencies database {name}: {', '.join(deps)}")
    cmd = odoo_command(
        odoo_path,
        odoo_python,
        building,
        role,
        "--init=" + ",".join(deps),
        "--skip-auto-install",
    )
    LOG_DIR.mkdir(exist_ok=True)
    log = LOG_DIR / f"{name}.log"
    with log.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if proc.returncode:
        raise SystemExit(f"layer 2: building {name} failed, see {log}")
    with conn.cursor() as cr:
        cr.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(building), sql.Identifier(name)
            )
        )
    (DATA_DIR / "filestore" / building).rename(DATA_DIR / "filestore" / name)
    return name


def copy_database(conn, template, name, role):
    drop_database(conn, name)
    with conn.cursor() as cr:
        cr.execute(
            sql.SQL("CREATE DATABASE {} WITH TEMPLATE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(template), sql.Identifier(role)
            )
        )
    shutil.copytree(DATA_DIR / "filestore" / template, DATA_DIR / "filestore" / name)


class LogCheck:
    """Reads Odoo's log as it streams and keeps what decides the verdict."""

    def __init__(self, addons):
        self.addons = addons
        self.problems = []
        self.result = None
        self._showing = False
        names = "|".join(map(re.escape, addons))
        self._ours = re.compile(rf"odoo\.addons\.({names})\b")
        self._mentions = re.compile(rf"\b({names})\b")

    def feed(self, line):
        """Record the line; True when it is worth showing on the console."""
        match = LOG_LINE.match(line)
        if not match:
            # continuation of the previous record (a traceback, a test diff)
            return self._showing
        self._showing = self._feed(match)
        return self._showing

    def _feed(self, match):
        level, logger, message = match.group("level", "logger", "message")
        result = RESULT_LINE.search(message)
        if result and logger.startswith("odoo.tests"):
            self.result = {k: int(v) for k, v in result.groupdict().items()}
        if level in ("ERROR", "CRITICAL"):
            self.problems.append(match.string)
            return True
        if level == "WARNING":
            if self._tolerated(logger, message):
                return True
            if self._ours.search(logger) or self._mentions.search(message):
                self.problems.append(match.string)
            return True
        return bool(result) or logger.startswith("odoo.tests.stats")

    @staticmethod
    def _tolerated(logger, message):
        return any(
            lg.search(logger) and msg.search(message) for lg, msg in TOLERATED_WARNINGS
        )


def run_tests(conn, odoo_path, odoo_python, role, template, addons):
    database = f"facturo_test_{os.getpid()}"
    copy_database(conn, template, database, role)
    # LAYER2_TEST_TAGS narrows the run while developing (Odoo's --test-tags)
    tags = os.environ.get("LAYER2_TEST_TAGS") or ",".join(
        f"/{addon}" for addon in addons
    )
    cmd = odoo_command(
        odoo_path,
        odoo_python,
        database,
        role,
        "--init=" + ",".join(addons),
        "--test-enable",
        f"--test-tags={tags}",
    )
    LOG_DIR.mkdir(exist_ok=True)
    log_path = LOG_DIR / os.environ.get("LAYER2_LOG", "layer2.log")
    check = LogCheck(addons)
    say(f"layer 2: installing {', '.join(addons)} in {database} (log: {log_path})")
    try:
        with (
            log_path.open("w") as log,
            subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            ) as proc,
        ):
            for line in proc.stdout:
                log.write(line)
                if check.feed(line.rstrip("\n")):
                    sys.stdout.write(line)
            returncode = proc.wait()
    finally:
        if not os.environ.get("KEEP_DB"):
            drop_database(conn, database)
    return returncode, check


def main(addons):
    if not addons:
        raise SystemExit("usage: layer2.py ADDON [ADDON ...]")
    addons = with_local_dependencies(addons)
    odoo_path, odoo_python = odoo_tree()
    install_oca_requirements(odoo_python)
    ensure_postgres()
    role = os.environ.get("ODOO_DB_USER", "odoo")
    conn = admin_connection()
    ensure_role(conn, role)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium")
    if not chromium:
        say("layer 2: chromium is not installed, browser tours will be skipped")
    else:
        # a cold first start can exceed the 10 s Odoo waits for the browser
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
             "about:blank"],
            capture_output=True,
            timeout=120,
            check=False,
        )  # fmt: skip
    probe = subprocess.run(
        [str(odoo_python), "-c", "import websocket"], capture_output=True, check=False
    )
    if probe.returncode:
        say(
            "layer 2: websocket-client is not installed for Odoo's Python, browser "
            "tours will be skipped"
        )
    template = ensure_template(conn, odoo_path, odoo_python, role, dependencies(addons))
    returncode, check = run_tests(conn, odoo_path, odoo_python, role, template, addons)
    result = check.result or {"failed": 0, "errors": 0, "run": 0}
    failed = result["failed"] + result["errors"]
    verdict = []
    if returncode:
        verdict.append(f"Odoo exited with status {returncode}")
    if check.result is None or not result["run"]:
        verdict.append("no test ran")
    if failed:
        verdict.append(f"{failed} test(s) failed")
    if check.problems:
        verdict.append(f"{len(check.problems)} ERROR/CRITICAL or own WARNING line(s)")
        for line in check.problems:
            say(f"  {line}")
    say(f"layer 2: {result['run'] - failed} passed, {failed} failed")
    if verdict:
        raise SystemExit("layer 2: FAILED: " + "; ".join(verdict))


if __name__ == "__main__":
    main(sys.argv[1:])
