"""docker-compose.yml and Dockerfile structure (no Docker engine runs here)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITE = (
    "account_invoice_fr,account_facturx_fr,recurring_billing,consolidated_invoice,"
    "dunning_levels,ledger_export,recurring_payment,recurring_payment_sepa,recurring_usage,"
    "consolidated_invoice_payment"
)


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services():
    services = compose()["services"]
    assert set(services) == {"db", "odoo", "tests"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["odoo"]["build"] == "."
    assert services["tests"]["image"] == services["odoo"]["image"]
    assert services["tests"]["profiles"] == ["test"]


def test_database_is_healthy_before_odoo_starts():
    services = compose()["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    for name in ("odoo", "tests"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/web/health" in " ".join(services["odoo"]["healthcheck"]["test"])


def test_volumes_and_addons_path():
    data = compose()
    odoo = data["services"]["odoo"]
    assert "./:/mnt/extra-addons:ro" in odoo["volumes"]
    assert "./:/mnt/extra-addons:ro" in data["services"]["tests"]["volumes"]
    assert {"db-data", "odoo-data"} <= set(data["volumes"])
    assert any(v.startswith("db-data:") for v in data["services"]["db"]["volumes"])
    assert any(v.startswith("odoo-data:") for v in odoo["volumes"])
    assert "--addons-path=/mnt/extra-addons" in odoo["command"]
    assert odoo["ports"] == ["8069:8069"]


def test_odoo_installs_the_suite_with_the_french_demo():
    command = compose()["services"]["odoo"]["command"]
    assert f"--init={SUITE},billing_demo_fr" in command
    assert "--with-demo" in command
    assert "--load-language=fr_FR" in command
    # the database the demo is made in, and only it
    assert "--database=billing" in command
    assert "--db-filter=^billing$$" in command


def test_every_addon_is_installed_by_compose():
    """A new addon of the repository is not forgotten in ``docker compose up``."""
    command = compose()["services"]["odoo"]["command"]
    init = next(option for option in command if option.startswith("--init="))
    addons = {p.parent.name for p in ROOT.glob("*/__manifest__.py")}
    assert set(init.removeprefix("--init=").split(",")) == addons


def test_odoo_command_reads_its_database_from_the_environment():
    data = compose()
    odoo = data["services"]["odoo"]
    assert odoo["environment"] == {"HOST": "db", "USER": "odoo", "PASSWORD": "odoo"}
    assert not any(option.startswith("--db_host") for option in odoo["command"])


def test_tests_service_runs_layer_2():
    command = " ".join(compose()["services"]["tests"]["command"])
    assert f"--init={SUITE}" in command
    assert "--test-enable" in command
    assert "--stop-after-init" in command
    assert "dropdb --if-exists" in command
    addons = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))
    for addon in addons:
        assert f"/{addon}" in command, addon


def test_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.splitlines()[2] == "FROM odoo:19"
    assert "ghostscript" in dockerfile
    assert "requirements.txt" in dockerfile
    # the OCA addons: pinned wheels, without their "odoo" requirement
    assert "COPY oca-requirements.txt" in dockerfile
    assert "--no-deps" in dockerfile
    assert dockerfile.rstrip().endswith("USER odoo")
