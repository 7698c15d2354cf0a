"""ledger_export/tools/fec_check.py: every finding is a translatable template.

The addon writes findings in the company's language from their template and
values; Odoo extracts the templates from the ``_lt("...")`` calls. A message
built otherwise (an f-string) would stay in English: these tests provoke the
checks and require every template to be one of those literals.
"""

import ast
from pathlib import Path

import pytest
from ledger_export_tools import fec_check, messages
from test_fec_check import YEAR, build, entry, rec

SOURCE = Path(fec_check.__file__)


def _literals():
    """The string literals passed to ``_lt`` in fec_check.py."""
    literals = set()
    for node in ast.walk(ast.parse(SOURCE.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_lt"
        ):
            (argument,) = node.args
            assert isinstance(argument, ast.Constant), ast.dump(node)
            literals.add(argument.value)
    return literals


LITERALS = _literals()

BROKEN_FILES = {
    "bad values": [
        *entry("VT/2024/0001"),
        rec("VT/2024/0002", debit="100.00"),
        rec("VT/2024/0003", debit="1 000,00"),
        rec("VT/2024/0004", debit="abc"),
        rec("VT/2024/0005", debit="-5,00"),
        rec("VT/2024/0006", debit="5,00", credit="5,00"),
        rec("VT/2024/0007", debit="0,00"),
        rec("VT/2024/0009", day="20241399"),
        rec("VT/2024/0010", day="2024-01-15"),
        rec("VT/2024/0011", CompteNum="X11000"),
        rec("VT/2024/0012", CompteNum="801000"),
        rec("VT/2024/0013", CompteNum="706000"),
        rec("VT/2024/0014", CompAuxLib=""),
        rec("VT/2024/0015", EcritureLet="AA"),
        rec("VT/2024/0016", Montantdevise="1,00"),
        rec("VT/2024/0017", EcritureLib=""),
        rec("VT/2024/0018", day="20230101"),
        rec("VT/2024/0019", day="20240101"),
        rec("VT/2024/0020", JournalLib="Autre"),
        rec("SANSNUMERO"),
        rec("VT/2024/0021", day="20240116"),
        rec("VT/2024/0021", day="20240117"),
        *entry("VT/2024/0001"),
        *entry("OUV/1", JournalCode="OUV", day="20240201"),
        "short|line",
        "",
    ],
    "header": [*entry()],
}


def _reports():
    yield fec_check.check_fec(
        build(BROKEN_FILES["bad values"]),
        filename="123456789FEC20241231-NONOFFICIAL.txt",
        fiscal_year=YEAR,
    )
    yield fec_check.check_fec(
        build(BROKEN_FILES["header"], sep=";", header=["JournalCode", "Montant"]),
        filename="FEC.txt",
    )
    yield fec_check.check_fec(
        build(BROKEN_FILES["header"], header=list(reversed(fec_check.FEC_COLUMNS))),
        filename="12345678FEC20241399x.txt",
        fiscal_year=YEAR,
    )
    yield fec_check.check_fec(
        b"", filename="732829320FEC20231231.txt", fiscal_year=YEAR
    )


FINDINGS = [finding for report in _reports() for finding in report.findings]


def test_many_checks_are_provoked():
    assert len({finding.code for finding in FINDINGS}) >= 25


@pytest.mark.parametrize("finding", FINDINGS, ids=str)
def test_finding_is_a_marked_template_with_its_values(finding):
    if finding.code == "encoding":  # the reader's own message (tools/fec.py)
        return
    assert finding.template in LITERALS
    assert finding.message == messages.render(finding.template, finding.params)
    assert "%(" not in finding.message


def test_render_keeps_a_template_without_values():
    assert messages.render("100 % sure", {}) == "100 % sure"
    assert messages.render("%(a)s %%", {"a": 1}) == "1 %"
