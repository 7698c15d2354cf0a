"""The Factur-X container: PDF/A-3 with Ghostscript, the XML embedded, checked.

The container steps of the Factur-X specification (a PDF/A-3 document
with the XML attached), for a PDF the addon rendered itself (Odoo's invoice
report):

1. ``to_pdfa3``: Ghostscript (``gs``, Debian package) rewrites the PDF as
   PDF/A-3B, fonts embedded, colours converted to RGB, with an sRGB
   OutputIntent (``/GTS_PDFA1``) whose ICC profile is the one Ghostscript
   ships (``find_srgb_profile``). It runs in a subprocess, in ``-dSAFER``
   mode with read access granted to the ICC file only, with a timeout;
2. ``embed_xml``: factur-x ``generate_from_binary`` attaches
   ``factur-x.xml`` (``/AFRelationship /Alternative`` at EN 16931 and
   EXTENDED, catalog ``/AF``) and writes the PDF/A-3B XMP with the Factur-X
   extension schema;
3. ``check_pdf``: structural checks with pikepdf (qpdf): header, no
   encryption, no JavaScript, XMP ``pdfaid:part=3`` B/U, the fx extension
   schema and properties matching the profile, the OutputIntent, a font
   program on every font, the attachment in ``/AF`` with its
   ``/AFRelationship``, ``/UF``, ``/Subtype /text/xml`` and ``/Params``, and
   the XML read back equal to the one embedded.

``make_facturx_pdf`` chains the three and raises ``FacturXPdfError`` listing
every problem. Necessary, not sufficient: veraPDF is the reference checker.
"""

import glob
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .exceptions import FacturXPdfError

FACTURX_FILENAME = "factur-x.xml"
#: Namespace of the Factur-X XMP properties (``fx:``).
FX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
#: ``fx:ConformanceLevel`` of each profile (matches BT-24).
XMP_LEVELS = {"en16931": "EN 16931", "extended": "EXTENDED"}
#: ``/AFRelationship`` of the XML at each profile (Data is for MINIMUM/BASIC WL).
AF_RELATIONSHIPS = {"en16931": "Alternative", "extended": "Alternative"}

DEFAULT_TIMEOUT = 120  # seconds for one Ghostscript conversion

#: Where Debian's Ghostscript (and colord) install an sRGB ICC profile.
SRGB_CANDIDATES = (
    "/usr/share/ghostscript/*/iccprofiles/srgb.icc",
    "/usr/share/color/icc/ghostscript/srgb.icc",
    "/usr/local/share/ghostscript/*/iccprofiles/srgb.icc",
    "/usr/share/color/icc/colord/sRGB.icc",
)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "fx": FX_NAMESPACE,
}

#: Ghostscript prefix file (after its lib/PDFA_def.ps): the sRGB OutputIntent.
#: ``@ICC@`` is replaced by the profile path as a PostScript string.
PDFA_PREFIX = """%!
% PDF/A-3 prefix: an sRGB ICC profile as the /GTS_PDFA1 OutputIntent.
/ICCProfile (@ICC@) def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB IEC61966-2.1)
  /Info (sRGB IEC61966-2.1)
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
"""


# ---------------------------------------------------------------------------
# Step 1: PDF/A-3 with Ghostscript
# ---------------------------------------------------------------------------


def ghostscript() -> str | None:
    """The Ghostscript executable on the PATH, or None."""
    return shutil.which("gs")


def find_srgb_profile() -> Path:
    """An sRGB ICC profile shipped by Ghostscript (Debian ``libgs-common``)."""
    for pattern in SRGB_CANDIDATES:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            path = Path(candidate)
            if path.is_file() and path.stat().st_size:
                return path
    raise FacturXPdfError(
        "No sRGB ICC profile found (install Ghostscript: looked for "
        + ", ".join(SRGB_CANDIDATES)
        + ")"
    )


def _ps_string(text: str) -> str:
    """``text`` escaped for a PostScript literal string."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def ghostscript_command(
    gs: str, icc_profile: Path, prefix: Path, source: Path, target: Path
) -> list[str]:
    """The command line converting ``source`` into PDF/A-3B ``target``."""
    return [
        gs,
        "-q",
        "-dSAFER",
        f"--permit-file-read={icc_profile}",
        "-dBATCH",
        "-dNOPAUSE",
        "-dNOOUTERSAVE",
        "-dPDFA=3",
        "-dPDFACompatibilityPolicy=1",
        "-sColorConversionStrategy=RGB",
        "-sProcessColorModel=DeviceRGB",
        "-dEmbedAllFonts=true",
        "-dSubsetFonts=true",
        "-sDEVICE=pdfwrite",
        f"-sOutputFile={target}",
        str(prefix),
        str(source),
    ]


def to_pdfa3(
    pdf: bytes,
    *,
    icc_profile: Path | str | None = None,
    gs: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """``pdf`` rewritten by Ghostscript as PDF/A-3B with an sRGB OutputIntent."""
    if not pdf.startswith(b"%PDF-"):
        raise FacturXPdfError("Not a PDF document")
    gs = gs or ghostscript()
    if not gs:
        raise FacturXPdfError("Ghostscript (gs) is not installed")
    icc = Path(icc_profile) if icc_profile else find_srgb_profile()
    with tempfile.TemporaryDirectory(prefix="facturx-gs-") as tmp:
        folder = Path(tmp)
        source, target = folder / "in.pdf", folder / "out.pdf"
        prefix = folder / "pdfa_def.ps"
        source.write_bytes(pdf)
        prefix.write_text(
            PDFA_PREFIX.replace("@ICC@", _ps_string(str(icc))), encoding="latin-1"
        )
        command = ghostscript_command(gs, icc, prefix, source, target)
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=tmp,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as err:
            raise FacturXPdfError(f"Ghostscript timed out after {timeout} s") from err
        except OSError as err:
            raise FacturXPdfError(f"Ghostscript did not start: {err}") from err
        output = (completed.stdout + completed.stderr).decode("utf-8", "replace")
        if completed.returncode or not target.is_file():
            raise FacturXPdfError(
                f"Ghostscript failed (exit status {completed.returncode}): "
                f"{output.strip()[-2000:]}"
            )
        if "Failed to open the supplied ICCProfile" in output:
            raise FacturXPdfError(f"Ghostscript could not read {icc}")
        return target.read_bytes()


# ---------------------------------------------------------------------------
# Step 2: the XML embedded by factur-x
# ---------------------------------------------------------------------------


def embed_xml(
    pdfa: bytes,
    xml: bytes,
    *,
    level: str = "en16931",
    lang: str = "fr-FR",
    pdf_metadata: dict | None = None,
    check_xsd: bool = False,
) -> bytes:
    """``pdfa`` with ``xml`` attached as ``factur-x.xml`` and the Factur-X XMP.

    The PDF must already be PDF/A-3 (``to_pdfa3``): factur-x adds neither the
    OutputIntent nor the fonts. ``check_xsd`` is off since the validation
    pipeline runs the XSD itself; the schematron check of factur-x is never
    used (it passes silently without its HTTP server).
    """
    import facturx

    if level not in AF_RELATIONSHIPS:
        raise FacturXPdfError(f"Unsupported Factur-X level {level!r}")
    try:
        embedded = facturx.generate_from_binary(
            pdfa,
            xml,
            flavor="factur-x",
            level=level,
            check_xsd=check_xsd,
            check_schematron=False,
            pdf_metadata=pdf_metadata,
            lang=lang,
            afrelationship=AF_RELATIONSHIPS[level].lower(),
        )
    except Exception as err:
        raise FacturXPdfError(f"factur-x could not embed the XML: {err}") from err
    return compact(embedded)


def compact(pdf_bytes: bytes) -> bytes:
    """``pdf_bytes`` rewritten by qpdf without the objects nothing refers to.

    factur-x (pypdf) keeps the replaced objects of the PDF it rewrites, which
    about doubles an invoice; object streams are allowed in PDF/A-2 and -3.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


# ---------------------------------------------------------------------------
# Step 3: structural checks
# ---------------------------------------------------------------------------


@dataclass
class PdfCheck:
    """What ``check_pdf`` found in one PDF."""

    problems: list[str] = field(default_factory=list)
    xml: bytes = field(default=b"", repr=False)  # the factur-x.xml read back
    fonts: int = 0  # fonts inspected

    @property
    def ok(self) -> bool:
        return not self.problems


def _name(value) -> str:
    return str(value) if value is not None else ""


def _resources_fonts(pdf):
    """Every font dictionary reachable from the pages (forms, patterns,
    annotation appearances and Type 3 resources included), once each."""
    import pikepdf

    seen = set()
    stack = []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots") or ():
            appearance = (
                annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
            )
            for key in ("/N", "/R", "/D"):
                stream = appearance.get(key) if appearance is not None else None
                if isinstance(stream, pikepdf.Stream):
                    stack.append(stream.get("/Resources"))
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        for _key, font in (resources.get("/Font") or {}).items():
            key = font.objgen if font.is_indirect else id(font)
            if key in seen:
                continue
            seen.add(key)
            yield font
            if _name(font.get("/Subtype")) == "/Type0":
                yield from font.get("/DescendantFonts") or ()
            elif _name(font.get("/Subtype")) == "/Type3":
                stack.append(font.get("/Resources"))
        for group in ("/XObject", "/Pattern"):
            for _key, item in (resources.get(group) or {}).items():
                if isinstance(item, pikepdf.Stream | pikepdf.Dictionary):
                    stack.append(item.get("/Resources"))


def _check_fonts(pdf, check: PdfCheck):
    for font in _resources_fonts(pdf):
        subtype = _name(font.get("/Subtype"))
        if subtype in ("/Type0", "/Type3"):
            continue  # their glyphs live in the descendant font / procedures
        check.fonts += 1
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            check.problems.append(
                f"Font {_name(font.get('/BaseFont')) or subtype} is not embedded"
            )


def _has_javascript(pdf) -> bool:
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        return True
    for obj in pdf.objects:
        try:
            if "/JS" in obj or _name(obj.get("/S")) == "/JavaScript":
                return True
        except (AttributeError, TypeError, ValueError):
            continue
    return False


def _check_xmp(pdf, level: str, check: PdfCheck):
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        check.problems.append("No XMP metadata in the catalog")
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(metadata.read_bytes(), parser)
    except etree.XMLSyntaxError as err:
        check.problems.append(f"Unreadable XMP metadata: {err}")
        return

    def value(prefix, name):
        attribute = root.xpath(f"//rdf:Description/@{prefix}:{name}", namespaces=NS)
        element = root.xpath(f"//rdf:Description/{prefix}:{name}/text()", namespaces=NS)
        found = attribute or element
        return str(found[0]).strip() if found else ""

    if value("pdfaid", "part") != "3":
        check.problems.append("XMP pdfaid:part is not 3")
    if value("pdfaid", "conformance") not in ("B", "U"):
        check.problems.append("XMP pdfaid:conformance is not B or U")
    schemas = root.xpath(
        "//pdfaExtension:schemas//pdfaSchema:namespaceURI/text()", namespaces=NS
    )
    if FX_NAMESPACE not in [s.strip() for s in schemas]:
        check.problems.append("XMP lacks the Factur-X PDF/A extension schema")
    expected = {
        "DocumentType": "INVOICE",
        "DocumentFileName": FACTURX_FILENAME,
        "Version": "1.0",
        "ConformanceLevel": XMP_LEVELS[level],
    }
    for name, wanted in expected.items():
        found = value("fx", name)
        if found != wanted:
            check.problems.append(f"XMP fx:{name} is {found!r}, expected {wanted!r}")


def _check_output_intent(pdf, check: PdfCheck):
    import pikepdf

    intents = pdf.Root.get("/OutputIntents") or ()
    if not any(
        _name(intent.get("/S")) == "/GTS_PDFA1"
        and isinstance(intent.get("/DestOutputProfile"), pikepdf.Stream)
        for intent in intents
    ):
        check.problems.append("No /GTS_PDFA1 OutputIntent with an ICC profile")


def _check_attachment(pdf, level: str, xml: bytes | None, check: PdfCheck):
    import pikepdf

    filespecs = [
        spec
        for spec in pdf.Root.get("/AF") or ()
        if isinstance(spec, pikepdf.Dictionary)
        and FACTURX_FILENAME in (str(spec.get("/UF", "")), str(spec.get("/F", "")))
    ]
    if not filespecs:
        check.problems.append(f"{FACTURX_FILENAME} is not listed in the catalog /AF")
        return
    spec = filespecs[0]
    relationship = _name(spec.get("/AFRelationship"))
    if relationship != "/" + AF_RELATIONSHIPS[level]:
        check.problems.append(
            f"/AFRelationship is {relationship or 'missing'}, expected "
            f"/{AF_RELATIONSHIPS[level]}"
        )
    if "/UF" not in spec:
        check.problems.append("The Filespec has no /UF")
    embedded = (spec.get("/EF") or {}).get("/F")
    if not isinstance(embedded, pikepdf.Stream):
        check.problems.append("The Filespec has no embedded file stream")
        return
    if _name(embedded.get("/Subtype")) != "/text/xml":
        check.problems.append("The embedded file is not /Subtype /text/xml")
    params = embedded.get("/Params")
    if params is None or "/ModDate" not in params:
        check.problems.append("The embedded file has no /Params with /ModDate")
    names = pdf.Root.get("/Names")
    if names is None or "/EmbeddedFiles" not in names:
        check.problems.append("No /EmbeddedFiles name tree")
    check.xml = embedded.read_bytes()
    if xml is not None and check.xml != xml:
        check.problems.append(
            f"The embedded XML differs from the one issued (sha256 "
            f"{hashlib.sha256(check.xml).hexdigest()[:12]} instead of "
            f"{hashlib.sha256(xml).hexdigest()[:12]})"
        )


def _check_round_trip(pdf_bytes: bytes, xml: bytes | None, check: PdfCheck):
    import facturx

    try:
        filename, extracted = facturx.get_facturx_xml_from_pdf(
            io.BytesIO(pdf_bytes), check_xsd=False
        )
    except Exception as err:
        check.problems.append(f"factur-x cannot read the XML back: {err}")
        return
    if filename != FACTURX_FILENAME or not extracted:
        check.problems.append("factur-x finds no factur-x.xml in the PDF")
    elif xml is not None and extracted != xml:
        check.problems.append(
            "factur-x reads back an XML different from the issued one"
        )


def check_pdf(
    pdf_bytes: bytes, xml: bytes | None = None, level: str = "en16931"
) -> PdfCheck:
    """Structural checks of a Factur-X PDF/A-3 (see the module docstring).

    ``xml`` is the XML that was embedded: it must be read back unchanged.
    """
    import pikepdf

    check = PdfCheck()
    if level not in XMP_LEVELS:
        check.problems.append(f"Unsupported Factur-X level {level!r}")
        return check
    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    except pikepdf.PdfError as err:
        check.problems.append(f"Not a readable PDF: {err}")
        return check
    with pdf:
        if pdf.is_encrypted:
            check.problems.append("The PDF is encrypted")
        if tuple(int(p) for p in pdf.pdf_version.split(".")) < (1, 4):
            check.problems.append(f"PDF version {pdf.pdf_version} is below 1.4")
        syntax_check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        check.problems.extend(f"qpdf: {problem}" for problem in syntax_check())
        if _has_javascript(pdf):
            check.problems.append("The PDF contains JavaScript")
        _check_xmp(pdf, level, check)
        _check_output_intent(pdf, check)
        _check_fonts(pdf, check)
        _check_attachment(pdf, level, xml, check)
    _check_round_trip(pdf_bytes, xml, check)
    return check


# ---------------------------------------------------------------------------
# The whole container
# ---------------------------------------------------------------------------


def make_facturx_pdf(
    pdf: bytes,
    xml: bytes,
    *,
    level: str = "en16931",
    lang: str = "fr-FR",
    pdf_metadata: dict | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    icc_profile: Path | str | None = None,
) -> bytes:
    """The Factur-X PDF/A-3 of a rendered ``pdf`` and its validated ``xml``.

    Raises ``FacturXPdfError`` when Ghostscript fails or the result does not
    pass ``check_pdf``.
    """
    pdfa = to_pdfa3(pdf, icc_profile=icc_profile, timeout=timeout)
    result = embed_xml(pdfa, xml, level=level, lang=lang, pdf_metadata=pdf_metadata)
    check = check_pdf(result, xml, level)
    if not check.ok:
        raise FacturXPdfError("The Factur-X PDF fails its checks", check.problems)
    return result


def gs_available() -> bool:
    """Whether Ghostscript and an sRGB profile are installed."""
    if not ghostscript():
        return False
    try:
        find_srgb_profile()
    except FacturXPdfError:
        return False
    return os.access(ghostscript(), os.X_OK)
