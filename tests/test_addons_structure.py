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
SUITE = {
    "account_invoice_fr",
    "account_facturx_fr",
    "recurring_billing",
    "consolidated_invoice",
    "dunning_levels",
    "ledger_export",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def oca_addons():
    """The OCA addons ``oca-requirements.txt`` installs (all AGPL-3)."""
    text = (ROOT / "oca-requirements.txt").read_text()
    names = re.findall(r"^odoo-addon-([\w-]+)==", text, re.MULTILINE)
    return {name.replace("-", "_") for name in names}


def expected_license(addon):
    """LGPL-3, or AGPL-3 for a bridge on OCA's AGPL-3 addons (an LGPL addon
    cannot depend on an AGPL one: manifestoo check-licenses)."""
    return "AGPL-3" if set(manifest(addon)["depends"]) & oca_addons() else "LGPL-3"


def test_the_suite_is_there():
    assert SUITE <= set(ADDONS)


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    data = manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == expected_license(addon)
    assert "Facturo" in data["author"]
    assert data["website"].startswith("https://")
    assert data["development_status"] in {"Alpha", "Beta", "Production/Stable"}
    assert data["installable"] is True
    assert "description" not in data
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), path
    assert (ROOT / addon / "static" / "description" / "icon.png").is_file()


def our_depends(addon):
    """The addons of this repository ``addon`` depends on."""
    return set(manifest(addon)["depends"]) & set(ADDONS)


def is_demo(addon):
    return "_demo" in addon


def depended_on(addon):
    """The addons (demo addons aside) that depend on ``addon``."""
    return {
        other for other in ADDONS if not is_demo(other) and addon in our_depends(other)
    }


def is_base(addon):
    """A base addon holds data several addons read: it depends on Odoo only,
    and other addons depend on it (conventions.md §1, addon graph)."""
    return not is_demo(addon) and not our_depends(addon) and bool(depended_on(addon))


#: Feature addons that extend another feature addon by design (conventions.md
#: §1). An addon named after the one it extends (``recurring_billing_usage``)
#: extends it too.
EXTENDS = {
    "consolidated_invoice": {"recurring_billing"},
    "recurring_payment": {"recurring_billing"},
    "recurring_usage": {"recurring_billing", "consolidated_invoice"},
    # glue of two feature addons, installed with them (auto_install)
    "consolidated_invoice_payment": {"consolidated_invoice", "recurring_payment"},
}

#: Glue addons: they only join two feature addons that do not know each
#: other, and install by themselves when both are there (Odoo's pattern, as
#: ``sale_stock``).
GLUE = {"consolidated_invoice_payment"}


def extends(addon, other):
    return other in EXTENDS.get(addon, set()) or addon.startswith(f"{other}_")


def test_base_addons_depend_on_odoo_only():
    bases = [addon for addon in ADDONS if is_base(addon)]
    assert "account_invoice_fr" in bases
    for addon in bases:
        assert not our_depends(addon), addon


@pytest.mark.parametrize("addon", [a for a in ADDONS if not is_demo(a)])
def test_feature_addons_depend_on_bases_or_on_what_they_extend(addon):
    for other in our_depends(addon):
        assert not is_demo(other), f"{addon} depends on the demo addon {other}"
        assert is_base(other) or extends(addon, other), (
            f"{addon} depends on the feature addon {other}: move what it reads "
            f"into a base addon"
        )


def test_the_dependency_graph_has_no_cycle():
    seen, done = set(), set()

    def visit(addon, path):
        assert addon not in seen or addon in done, " -> ".join([*path, addon])
        if addon in done:
            return
        seen.add(addon)
        for other in our_depends(addon):
            visit(other, [*path, addon])
        done.add(addon)

    for addon in ADDONS:
        visit(addon, [])


@pytest.mark.parametrize("addon", sorted(GLUE))
def test_glue_addons_install_with_what_they_join(addon):
    data = manifest(addon)
    assert data.get("auto_install") is True
    assert set(data["depends"]) == EXTENDS[addon]
    assert not depended_on(addon), f"{addon} is glue: nothing depends on it"


def test_only_glue_addons_install_by_themselves():
    assert {a for a in ADDONS if manifest(a).get("auto_install")} == GLUE


def test_ledger_export_stands_alone():
    assert not our_depends("ledger_export")
    assert not depended_on("ledger_export")


def test_oca_requirements_are_pinned_wheels_of_the_series():
    text = (ROOT / "oca-requirements.txt").read_text()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines
    for line in lines:
        name, _sep, version = line.partition("==")
        assert version, f"{line} is not pinned"
        if name.startswith("odoo-addon-"):
            assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+(\.\d+)?", version), line
    assert "account_banking_sepa_direct_debit" in oca_addons()
    assert expected_license("recurring_payment_sepa") == "AGPL-3"


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
    depends = manifest(addon)["depends"]
    for row in rows:
        module, _dot, model = row["model_id:id"].rpartition(".")
        assert model.startswith("model_")
        assert not module or module in depends, row["model_id:id"]
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
def test_tools_import_neither_odoo_nor_another_addon(path):
    """``tools/`` is plain Python: the standard library, the declared Python
    dependencies and its own modules (relative imports) only."""
    forbidden = {"odoo", *ADDONS, *(f"{addon}_tools" for addon in ADDONS)}
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level <= 1, f"{path} imports from outside its tools/"
            names = [node.module or ""] if node.level == 0 else []
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in forbidden, f"{path} imports {name}"
