"""account_facturx_fr/tools: the Factur-X PDF/A-3 container (facturx_pdf).

A small PDF is made by Ghostscript from PostScript (and one by hand with
pikepdf, for the tests that need no Ghostscript), then run through
``to_pdfa3`` → ``embed_xml`` → ``check_pdf``. Positive: the result passes
every structural check and gives the XML back byte for byte. Negative: a
non-embedded font, a PDF that is not PDF/A, a wrong ``/AFRelationship``, an
XML changed after embedding, a wrong ``fx:ConformanceLevel`` are caught.

The Ghostscript tests are skipped, with the reason, where ``gs`` is absent.
"""

import io
import subprocess

import facturx_scenarios as sc
import pikepdf
import pytest
from account_facturx_fr_tools import facturx_builder, facturx_pdf
from account_facturx_fr_tools.exceptions import FacturXPdfError

needs_gs = pytest.mark.skipif(
    not facturx_pdf.gs_available(),
    reason="Ghostscript (gs) or its sRGB ICC profile is not installed",
)

POSTSCRIPT = b"""%!PS
/Helvetica findfont 14 scalefont setfont
72 720 moveto (Facture FAC-2026-0002) show
1 0 0 setrgbcolor 72 700 moveto (Total TTC 3645,00 EUR) show
0 0 1 setrgbcolor 72 600 200 50 rectfill
showpage
"""


def _gs_pdf(tmp_path, postscript=POSTSCRIPT, name="in") -> bytes:
    """A plain PDF made by Ghostscript from ``postscript`` (by default
    Helvetica, not embedded)."""
    source, target = tmp_path / f"{name}.ps", tmp_path / f"{name}.pdf"
    source.write_bytes(postscript)
    subprocess.run(
        [
            facturx_pdf.ghostscript(),
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-sDEVICE=pdfwrite",
            f"-sOutputFile={target}",
            str(source),
        ],
        check=True,
        timeout=60,
    )
    return target.read_bytes()


def _hand_made_pdf() -> bytes:
    """A one-page PDF using Helvetica without embedding it (no Ghostscript)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
        )
    )
    content = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Facture) Tj ET")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=content,
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def xml():
    return facturx_builder.build_xml(sc.services_s1())


@pytest.fixture(scope="module")
def extended_xml():
    invoice_factory, profile = sc.SCENARIOS["extended_credit_note"]
    return facturx_builder.build_xml(invoice_factory(), profile)


@pytest.fixture
def facturx_pdf_bytes(tmp_path, xml):
    if not facturx_pdf.gs_available():
        pytest.skip("Ghostscript (gs) or its sRGB ICC profile is not installed")
    return facturx_pdf.make_facturx_pdf(_gs_pdf(tmp_path), xml)


def _rewrite(pdf_bytes: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# The whole pipeline
# ---------------------------------------------------------------------------


@needs_gs
def test_pipeline_yields_a_checked_pdfa3(facturx_pdf_bytes, xml):
    check = facturx_pdf.check_pdf(facturx_pdf_bytes, xml)
    assert check.ok, check.problems
    assert check.xml == xml
    assert check.fonts >= 1
    with pikepdf.open(io.BytesIO(facturx_pdf_bytes)) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name("/GTS_PDFA1")
        assert intent.DestOutputProfile.N == 3
        (spec,) = list(pdf.Root.AF)
        assert spec.AFRelationship == pikepdf.Name("/Alternative")
        assert str(spec.UF) == "factur-x.xml"
        assert not pdf.is_encrypted


@needs_gs
def test_ghostscript_embeds_the_fonts_it_was_given_unembedded(tmp_path):
    plain = _gs_pdf(tmp_path)
    before = facturx_pdf.check_pdf(plain)
    assert "Font /Helvetica is not embedded" in before.problems
    pdfa = facturx_pdf.to_pdfa3(plain)
    after = facturx_pdf.check_pdf(pdfa)
    assert not [p for p in after.problems if "not embedded" in p]
    assert "No /GTS_PDFA1 OutputIntent with an ICC profile" not in after.problems
    # no XML yet: the attachment checks are what is left
    assert "factur-x.xml is not listed in the catalog /AF" in after.problems


@needs_gs
def test_extended_profile_is_declared_extended(tmp_path, extended_xml):
    result = facturx_pdf.make_facturx_pdf(
        _gs_pdf(tmp_path), extended_xml, level="extended"
    )
    assert facturx_pdf.check_pdf(result, extended_xml, "extended").ok
    problems = facturx_pdf.check_pdf(result, extended_xml, "en16931").problems
    assert "XMP fx:ConformanceLevel is 'EXTENDED', expected 'EN 16931'" in problems


@needs_gs
def test_wkhtmltopdf_like_input_with_unicode(tmp_path, xml):
    """Accented text in an embedded TrueType-free PostScript font survives."""
    pdf = _gs_pdf(
        tmp_path,
        b"%!PS\n/Times-Roman findfont 12 scalefont setfont\n"
        b"72 720 moveto (Echeance \\351t\\351 2026) show showpage\n",
        name="accents",
    )
    result = facturx_pdf.make_facturx_pdf(pdf, xml)
    assert facturx_pdf.check_pdf(result, xml).ok


# ---------------------------------------------------------------------------
# Negative checks
# ---------------------------------------------------------------------------


def test_non_embedded_font_and_missing_pdfa_parts_are_caught(xml):
    """factur-x alone does not make a PDF/A: the checks say what is missing."""
    result = facturx_pdf.embed_xml(_hand_made_pdf(), xml)
    check = facturx_pdf.check_pdf(result, xml)
    assert "Font /Helvetica is not embedded" in check.problems
    assert "No /GTS_PDFA1 OutputIntent with an ICC profile" in check.problems
    # what factur-x does write is right
    assert check.xml == xml
    assert not [p for p in check.problems if "XMP" in p or "AFRelationship" in p]


@needs_gs
def test_embedding_does_not_double_the_pdf(tmp_path, xml):
    pdfa = facturx_pdf.to_pdfa3(_gs_pdf(tmp_path))
    result = facturx_pdf.embed_xml(pdfa, xml)
    # the PDF/A plus the compressed XML (~2.5 kB) and the XMP, not a second
    # copy of the replaced objects (factur-x alone adds ~9 kB here)
    assert len(result) < len(pdfa) + 6000
    assert facturx_pdf.check_pdf(result, xml).ok


def test_plain_pdf_fails_every_factur_x_check():
    problems = facturx_pdf.check_pdf(_hand_made_pdf()).problems
    assert "XMP pdfaid:part is not 3" not in problems  # no XMP at all
    assert "No XMP metadata in the catalog" in problems
    assert "factur-x.xml is not listed in the catalog /AF" in problems


def test_not_a_pdf():
    assert facturx_pdf.check_pdf(b"hello").problems[0].startswith("Not a readable PDF")
    with pytest.raises(FacturXPdfError, match="Not a PDF document"):
        facturx_pdf.to_pdfa3(b"hello")


def test_unknown_level_is_refused(xml):
    with pytest.raises(FacturXPdfError, match="Unsupported Factur-X level"):
        facturx_pdf.embed_xml(_hand_made_pdf(), xml, level="minimum")


@needs_gs
def test_xml_changed_after_embedding_is_caught(facturx_pdf_bytes, xml):
    def swap(pdf):
        stream = pdf.Root.AF[0].EF.F
        stream.write(stream.read_bytes().replace(b"3645.00", b"3645.01"))

    tampered = _rewrite(facturx_pdf_bytes, swap)
    problems = facturx_pdf.check_pdf(tampered, xml).problems
    assert any(p.startswith("The embedded XML differs") for p in problems)
    assert "factur-x reads back an XML different from the issued one" in problems


@needs_gs
def test_data_relationship_and_missing_params_are_caught(facturx_pdf_bytes, xml):
    def degrade(pdf):
        pdf.Root.AF[0].AFRelationship = pikepdf.Name("/Data")
        del pdf.Root.AF[0].EF.F["/Params"]

    problems = facturx_pdf.check_pdf(_rewrite(facturx_pdf_bytes, degrade), xml).problems
    assert "/AFRelationship is /Data, expected /Alternative" in problems
    assert "The embedded file has no /Params with /ModDate" in problems


@needs_gs
def test_javascript_and_missing_output_intent_are_caught(facturx_pdf_bytes, xml):
    def degrade(pdf):
        del pdf.Root["/OutputIntents"]
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(
                S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
            )
        )

    problems = facturx_pdf.check_pdf(_rewrite(facturx_pdf_bytes, degrade), xml).problems
    assert "The PDF contains JavaScript" in problems
    assert "No /GTS_PDFA1 OutputIntent with an ICC profile" in problems


# ---------------------------------------------------------------------------
# Ghostscript failures
# ---------------------------------------------------------------------------


def test_missing_ghostscript_is_a_clear_error(tmp_path):
    with pytest.raises(FacturXPdfError, match="did not start"):
        facturx_pdf.to_pdfa3(_hand_made_pdf(), gs=str(tmp_path / "no-gs"))


@needs_gs
def test_unreadable_icc_profile_is_an_error(tmp_path):
    with pytest.raises(FacturXPdfError, match="Ghostscript"):
        facturx_pdf.to_pdfa3(_hand_made_pdf(), icc_profile=tmp_path / "missing.icc")


@needs_gs
def test_ghostscript_runs_in_safer_mode_with_a_timeout(tmp_path):
    command = facturx_pdf.ghostscript_command(
        "gs",
        facturx_pdf.find_srgb_profile(),
        tmp_path / "p.ps",
        tmp_path / "a",
        tmp_path / "b",
    )
    assert "-dSAFER" in command and "-dNOSAFER" not in command
    assert "-dPDFA=3" in command
    with pytest.raises(FacturXPdfError, match="timed out"):
        facturx_pdf.to_pdfa3(_hand_made_pdf(), timeout=0.0001)


def test_postscript_string_escaping():
    assert facturx_pdf._ps_string("/a (b)\\c") == "/a \\(b\\)\\\\c"
