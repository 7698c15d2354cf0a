"""Manifest, README, translation and ``tools/`` sanity of every addon (no Odoo)."""

import ast
import csv
import re
import subprocess
import sys
from pathlib import Path

import docutils.core
import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))
SUITE = {"recurring_billing", "consolidated_invoice", "dunning_levels", "ledger_export"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def test_the_suite_is_there():
    assert SUITE <= set(ADDONS)


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    data = manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "LGPL-3"
    assert "Facturo" in data["author"]
    assert data["website"].startswith("https://")
    assert data["development_status"] in {"Alpha", "Beta", "Production/Stable"}
    assert data["installable"] is True
    assert "description" not in data
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), path
    assert (ROOT / addon / "static" / "description" / "icon.png").is_file()


def test_dependencies_between_addons():
    # account_edi_ubl_cii: Odoo's e-invoicing settings of partners (BT-49)
    assert manifest("consolidated_invoice")["depends"] == [
        "recurring_billing",
        "dunning_levels",
        "account_edi_ubl_cii",
    ]
    assert sorted(manifest("dunning_levels")["depends"]) == ["account", "mail"]
    assert manifest("ledger_export")["depends"] == ["account"]
    # the demo depends on the suite, nothing depends on the demo
    assert manifest("billing_demo_fr")["depends"] == [
        "l10n_fr_account",
        "recurring_billing",
        "consolidated_invoice",
        "dunning_levels",
        "ledger_export",
    ]
    assert "data" not in manifest("billing_demo_fr"), "demo data only"
    for addon in ADDONS:
        assert "billing_demo_fr" not in manifest(addon).get("depends", [])


def test_access_rules_rule_spots_new_models():
    assert "recurring.contract" in new_models("recurring_billing")
    assert "bill.run" in new_models("consolidated_invoice")
    assert new_models("billing_demo_fr") == []


@pytest.mark.parametrize("addon", ADDONS)
def test_external_dependencies_are_pinned(addon):
    requirements = (ROOT / "requirements.txt").read_text()
    pinned = {
        line.split("==")[0].strip().lower()
        for line in requirements.splitlines()
        if "==" in line and not line.startswith("#")
    }
    for package in manifest(addon).get("external_dependencies", {}).get("python", []):
        assert package.lower() in pinned, package


def new_models(addon):
    """Names of the models ``addon`` creates (not abstract, not inherited)."""
    names = []
    for path in (ROOT / addon).glob("*/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {
                getattr(base, "attr", getattr(base, "id", "")) for base in node.bases
            }
            if not bases & {"Model", "TransientModel"}:
                continue
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(getattr(t, "id", "") == "_name" for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                ):
                    names.append(statement.value.value)
    return names


@pytest.mark.parametrize("addon", ADDONS)
def test_access_rules_name_existing_groups_and_models(addon):
    access = ROOT / addon / "security" / "ir.model.access.csv"
    if not access.is_file():
        # only an addon that creates no model may go without access rules
        # (the demo addon: data and an abstract model of demo steps)
        assert not new_models(addon), f"{addon} has models but no access rules"
        return
    with access.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["model_id:id"].startswith("model_")
        assert row["group_id:id"], f"{row['id']} gives access to everybody"


def test_readmes_are_built_from_their_fragments():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_is_valid_restructuredtext(addon):
    source = (ROOT / addon / "README.rst").read_text()
    docutils.core.publish_doctree(
        source, settings_overrides={"halt_level": 2, "report_level": 2}
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_french_translation_is_complete(addon):
    template = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
    french = {
        e.msgid: e.msgstr for e in polib.pofile(str(ROOT / addon / "i18n" / "fr.po"))
    }
    assert len(template) > 0
    for entry in template:
        translated = french.get(entry.msgid)
        assert translated, f"untranslated: {entry.msgid!r}"
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(translated)
        ), entry.msgid


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("*/tools/**/*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_tools_do_not_import_odoo(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        else:
            continue
        for name in names:
            assert name.split(".")[0] != "odoo", f"{path} imports {name}"
