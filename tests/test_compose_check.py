"""How bin/compose_check.py turns the compose ``odoo`` service into a local
command (no Odoo, no database)."""

import importlib.util
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bin" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compose_check = load("compose_check")
ODOO = Path("/opt/odoo19")
PYTHON = ODOO / ".venv" / "bin" / "python"


def translate(service, database="facturo_compose_1", port=8123):
    return compose_check.translate(service, ODOO, PYTHON, database, "odoo", port)


def options(command):
    return dict(option.split("=", 1) for option in command[2:] if "=" in option)


def test_the_repository_compose_service():
    service = compose_check.odoo_service()
    command = translate(service)
    assert command[:2] == [str(PYTHON), str(ODOO / "odoo-bin")]
    values = options(command)
    assert values["--addons-path"].split(",") == [
        str(ODOO / "addons"),
        str(ODOO / "odoo" / "addons"),
        str(ROOT),
    ]
    assert values["--database"] == "facturo_compose_1"
    assert values["--db-filter"] == "^facturo_compose_1$"
    assert values["--db_host"]
    assert values["--db_user"] == "odoo"
    assert values["--http-port"] == "8123"
    assert values["--http-interface"] == "127.0.0.1"
    # the compose options that are not translated are passed as written
    for option in service["command"][1:]:
        name = option.split("=", 1)[0]
        if name not in compose_check.REPLACED:
            assert option.replace("$$", "$") in command
    assert "--stop-after-init" not in command


@given(
    st.text(string.ascii_lowercase + "_", min_size=1, max_size=20),
    st.text(string.ascii_lowercase + "_", min_size=1, max_size=20),
)
def test_the_database_and_its_filter_name_the_throwaway_database(compose_db, local):
    service = {
        "command": [
            "odoo",
            f"--database={compose_db}",
            f"--db-filter=^{compose_db}$$",
            "--with-demo",
        ],
        "environment": {"HOST": "db", "USER": "odoo", "PASSWORD": "odoo"},
    }
    command = translate(service, database=local)
    values = options(command)
    assert values["--database"] == local
    assert values["--db-filter"] == f"^{local}$"
    assert "--with-demo" in command


def test_a_broken_option_is_passed_to_odoo():
    service = {
        "command": ["odoo", "--database=billing", "--with-demmo", "--init=foo"],
        "environment": {},
    }
    command = translate(service)
    assert "--with-demmo" in command
    assert "--init=foo" in command
    assert "--db_host" not in options(command), "no HOST in the environment"


def test_the_service_must_run_odoo():
    with pytest.raises(SystemExit):
        translate({"command": ["bash", "--database=billing"]})


def test_the_service_must_name_its_database():
    with pytest.raises(SystemExit):
        translate({"command": ["odoo", "--with-demo"]})


def test_the_published_port_is_odoo_s():
    compose_check.check_ports(compose_check.odoo_service())
    with pytest.raises(SystemExit):
        compose_check.check_ports({"ports": ["8080:8080"]})
