"""The ``docker compose up`` path, checked without Docker.

Usage: ``python bin/compose_check.py`` (``bin/test`` runs it after layer 2).

Reads ``docker-compose.yml`` and runs the ``odoo`` service's command against
the local Odoo 19 tree, as the container would run it:

- ``odoo`` is Odoo's Python with ``odoo-bin``; the addons paths mounted in the
  container (``./:/mnt/extra-addons``) are the repository, after Odoo's own
  addons (which the image finds by itself);
- the database is a fresh throwaway one (the ``--database`` and
  ``--db-filter`` options name it instead of the compose one; ``$$`` is
  compose's escape for ``$``); HOST/USER/PASSWORD of the service's
  environment become the local PostgreSQL at ``$PGHOST:$PGPORT`` and the
  ``odoo`` role, as ``bin/layer2.py`` uses them; the published port is a free
  port on 127.0.0.1; the data directory is layer 2's;
- every other option is passed as written, so a broken option fails here.

It waits for ``/web/health``, logs in as admin/admin through
``/web/session/authenticate``, reads the contracts and the bill runs through
the web client's JSON-RPC (``/web/dataset/call_kw``) and checks that they hold
the French demo; any ERROR line of the server log fails it. The server is
then stopped and the database dropped. Without Odoo 19 or PostgreSQL, one
line says it was skipped.

:class:`ComposeServer` is reused by ``bin/screenshots.py``.
"""

import datetime
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import layer2

STEP = "compose check"
# docker compose reads $COMPOSE_FILE too
COMPOSE_FILE = Path(os.environ.get("COMPOSE_FILE", layer2.ROOT / "docker-compose.yml"))
# the options the translation replaces (everything else is passed as is)
REPLACED = ("--addons-path", "--database", "--db-filter", "--data-dir")
# the image's entrypoint turns these environment variables into options
ENVIRONMENT_OPTIONS = {"HOST": "--db_host", "USER": "--db_user"}
STARTUP_TIMEOUT = 1800  # a cold install of the suite with demo data
# Errors of Odoo's own online services on a machine without Internet access
# (a container started by docker compose has it): (logger, message).
OFFLINE_ERRORS = [
    (
        re.compile(r"^odoo\.addons\.base_vat\."),
        re.compile(r"^Error while contacting IAP VIES"),
    ),
]
# the log line saying the database is installed and served
LOADED = re.compile(r" odoo\.modules\.loading: Modules loaded\.")


def say(message):
    layer2.say(f"{STEP}: {message}")


def odoo_service(path=COMPOSE_FILE):
    return yaml.safe_load(path.read_text())["services"]["odoo"]


def container_paths(service):
    """Container path -> host path of the service's bind mounts."""
    paths = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            paths[target] = (COMPOSE_FILE.parent / source).resolve()
    return paths


def translate(service, odoo_path, odoo_python, database, role, port):
    """The service's command as a local command line."""
    command = [str(option).replace("$$", "$") for option in service["command"]]
    if command[0] != "odoo":
        raise SystemExit(f"{STEP}: the odoo service does not run odoo: {command[0]}")
    mounts = container_paths(service)
    options = dict(option.split("=", 1) for option in command[1:] if "=" in option)
    compose_db = options.get("--database")
    if not compose_db:
        raise SystemExit(f"{STEP}: the odoo service names no --database")
    args = []
    for option in command[1:]:
        name, _sep, value = option.partition("=")
        if name == "--addons-path":
            local = [str(mounts.get(path, path)) for path in value.split(",")]
            odoo_addons = [
                str(odoo_path / "addons"),
                str(odoo_path / "odoo" / "addons"),
            ]
            args.append(f"--addons-path={','.join(odoo_addons + local)}")
        elif name == "--database":
            args.append(f"--database={database}")
        elif name == "--db-filter":
            args.append(f"--db-filter={value.replace(compose_db, database)}")
        elif name == "--data-dir":
            continue
        else:
            args.append(option)
    environment = service.get("environment", {})
    params = layer2.pg_params()
    local_values = {"HOST": params["host"], "USER": role}
    for variable, flag in ENVIRONMENT_OPTIONS.items():
        if variable in environment:
            args.append(f"{flag}={local_values[variable]}")
    args.append(f"--db_port={params['port']}")
    if "PASSWORD" in environment and os.environ.get("PGPASSWORD"):
        args.append(f"--db_password={os.environ['PGPASSWORD']}")
    args += [
        f"--data-dir={layer2.DATA_DIR}",
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
    ]
    return [str(odoo_python), str(odoo_path / "odoo-bin"), *args]


def check_ports(service):
    ports = service.get("ports", [])
    if not any(str(p).endswith(":8069") for p in ports):
        raise SystemExit(f"{STEP}: the odoo service does not publish Odoo's port 8069")


class ComposeServer:
    """The compose ``odoo`` service running locally on a throwaway database."""

    def __init__(self, log_name="compose-check.log"):
        self.odoo_path, self.odoo_python = layer2.odoo_tree(STEP)
        layer2.install_oca_requirements(self.odoo_python)
        layer2.ensure_postgres()
        self.role = os.environ.get("ODOO_DB_USER", "odoo")
        self.conn = layer2.admin_connection()
        layer2.ensure_role(self.conn, self.role)
        layer2.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.service = odoo_service()
        check_ports(self.service)
        self.database = f"facturo_compose_{os.getpid()}"
        self.port = layer2.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.addons = sorted(
            p.parent.name for p in layer2.ROOT.glob("*/__manifest__.py")
        )
        self.check = layer2.LogCheck(self.addons)
        layer2.LOG_DIR.mkdir(exist_ok=True)
        self.log_path = layer2.LOG_DIR / log_name
        self.proc = None
        self.session = None
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    # -- server -----------------------------------------------------------

    def start(self):
        layer2.drop_database(self.conn, self.database)
        cmd = translate(
            self.service,
            self.odoo_path,
            self.odoo_python,
            self.database,
            self.role,
            self.port,
        )
        say(f"starting {' '.join(cmd[1:])}")
        say(f"log: {self.log_path}")
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.loaded = threading.Event()
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self):
        with self.log_path.open("w") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                if LOADED.search(line):
                    self.loaded.set()
                if self.check.feed(line.rstrip("\n")) and "ERROR" in line:
                    sys.stdout.write(line)

    def wait_healthy(self, timeout=STARTUP_TIMEOUT):
        """Wait for ``/web/health``, once the log says the database is
        loaded: with one database in the filter, a request made while it
        installs waits for it, and a request over Odoo's real-time limit
        makes the server reload itself afterwards."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"{STEP}: Odoo exited with status {self.proc.returncode} "
                    f"(see {self.log_path})"
                )
            if not self.loaded.wait(2):
                continue
            try:
                with urllib.request.urlopen(
                    f"{self.url}/web/health", timeout=30
                ) as response:
                    if json.load(response).get("status") == "pass":
                        return
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(2)
        raise SystemExit(f"{STEP}: /web/health did not answer in {timeout} s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self._reader.join(timeout=10)
        if not os.environ.get("KEEP_DB"):
            layer2.drop_database(self.conn, self.database)

    # -- JSON-RPC as the web client -----------------------------------------

    def rpc(self, path, params, timeout=60):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=timeout) as response:
            answer = json.load(response)
        if answer.get("error"):
            error = answer["error"]
            message = error.get("data", {}).get("message") or error.get("message")
            raise SystemExit(f"{STEP}: {path} failed: {message}")
        return answer["result"]

    def login(self, login="admin", password="admin"):
        """Authenticate as the web client does."""
        self.session = self.rpc(
            "/web/session/authenticate",
            {"db": self.database, "login": login, "password": password},
        )
        if not self.session.get("uid"):
            raise SystemExit(f"{STEP}: admin/admin could not log in")
        return self.session

    def search_read(self, model, domain, fields, **kwargs):
        context = self.session.get("user_context", {})
        return self.rpc(
            f"/web/dataset/call_kw/{model}/search_read",
            {
                "model": model,
                "method": "search_read",
                "args": [],
                "kwargs": {
                    "domain": domain,
                    "fields": fields,
                    "context": context,
                    **kwargs,
                },
            },
        )

    def problems(self):
        """The server log's ERROR lines (and our addons' WARNING lines), but
        those of Odoo's online services when this machine is offline."""
        offline = not internet_access()
        problems = []
        for line in self.check.problems:
            match = layer2.LOG_LINE.match(line)
            if (
                offline
                and match
                and any(
                    logger.search(match["logger"]) and message.search(match["message"])
                    for logger, message in OFFLINE_ERRORS
                )
            ):
                say(f"tolerated (no Internet access here): {line}")
                continue
            problems.append(line)
        return problems

    def session_cookie(self):
        return next(c.value for c in self.cookies if c.name == "session_id")


def internet_access():
    try:
        socket.create_connection(("vies.test.odoo.com", 443), timeout=5).close()
        return True
    except OSError:
        return False


def check_demo(server):
    """What a user sees first: the French demo company's data."""
    problems = []
    context = server.session.get("user_context", {})
    if context.get("lang") != "fr_FR":
        problems.append(f"admin's language is {context.get('lang')}, not fr_FR")
    companies = server.search_read(
        "res.company", [], ["name", "currency_id", "country_id"]
    )
    main = companies[0] if companies else {}
    if not main or main["currency_id"][1] != "EUR":
        problems.append(f"the main company is not in euros: {main}")
    contracts = server.search_read(
        "recurring.contract", [], ["name", "partner_id", "state", "currency_id"]
    )
    states = {c["state"] for c in contracts}
    partners = {c["partner_id"][1] for c in contracts}
    for state in ("active", "paused", "terminated"):
        if state not in states:
            problems.append(f"no {state} contract among {len(contracts)}")
    if "Atelier Lumière SARL" not in partners:
        problems.append(f"the demo customers are missing: {sorted(partners)}")
    runs = server.search_read(
        "bill.run", [], ["name", "date", "state", "invoice_count"], order="date desc"
    )
    first_of_month = datetime.date.today().replace(day=1).isoformat()
    done = [r for r in runs if r["state"] == "done" and r["invoice_count"]]
    if not done or runs[0]["date"] != first_of_month:
        problems.append(f"no done bill run on {first_of_month}: {runs}")
    say(
        f"{len(contracts)} contracts ({', '.join(sorted(states))}), "
        f"{len(runs)} bill runs ({len(done)} done with invoices), "
        f"language {context.get('lang')}"
    )
    return problems


def main():
    server = ComposeServer()
    problems = []
    try:
        server.start()
        server.wait_healthy()
        say("/web/health answers; logging in as admin")
        server.login()
        problems += check_demo(server)
    finally:
        server.stop()
    problems += [f"server log: {line}" for line in server.problems()]
    if problems:
        for problem in problems:
            say(f"  {problem}")
        raise SystemExit(f"{STEP}: FAILED ({len(problems)} problem(s))")
    say("passed")


if __name__ == "__main__":
    main()
