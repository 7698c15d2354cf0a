"""account_facturx_fr/tools: the Factur-X archive chain (facturx_archive_chain).

A chain of entries built the way the archive model builds them; every kind
of tampering (a file byte, a metadata value, a removed or reordered entry,
a forged hash) is reported at the first broken link. Retention dates and
the auditor zip (files, manifest CSV/JSON, chain) are checked too.
"""

import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from account_facturx_fr_tools import facturx_archive_chain as chain
from account_facturx_fr_tools.facturx_archive_chain import StoredEntry


def _metadata(sequence):
    return {
        "company": "Facturo",
        "journal": "INV",
        "sequence": sequence,
        "number": f"INV/2026/{sequence:05d}",
        "move_type": "out_invoice",
        "invoice_date": date(2026, 9, sequence),
        "partner": "Client Exemple SARL",
        "amount_total": "120.00",
        "currency": "EUR",
        "issued_at": f"2026-09-{sequence:02d} 10:00:00",
    }


def _chain(n=4):
    entries, previous = [], chain.GENESIS
    for sequence in range(1, n + 1):
        pdf = f"%PDF-1.7 invoice {sequence}".encode()
        xml = f"<xml>{sequence}</xml>".encode()
        metadata = _metadata(sequence)
        pdf_sha, xml_sha = chain.sha256_hex(pdf), chain.sha256_hex(xml)
        digest = chain.entry_hash(previous, metadata, pdf_sha, xml_sha)
        entries.append(
            StoredEntry(
                sequence, metadata, pdf, xml, pdf_sha, xml_sha, previous, digest
            )
        )
        previous = digest
    return entries


def test_intact_chain():
    assert chain.verify_chain(_chain()) is None
    assert chain.verify_chain([]) is None


def test_entry_hash_covers_every_field_and_file():
    entry = _chain(1)[0]
    base = chain.entry_hash(
        chain.GENESIS, entry.metadata, entry.pdf_sha256, entry.xml_sha256
    )
    for name in chain.HASHED_FIELDS:
        changed = {**entry.metadata, name: "other"}
        assert (
            chain.entry_hash(chain.GENESIS, changed, entry.pdf_sha256, entry.xml_sha256)
            != base
        ), name
    assert (
        chain.entry_hash("1" * 64, entry.metadata, entry.pdf_sha256, entry.xml_sha256)
        != base
    )
    assert (
        chain.entry_hash(chain.GENESIS, entry.metadata, "a", entry.xml_sha256) != base
    )
    assert (
        chain.entry_hash(chain.GENESIS, entry.metadata, entry.pdf_sha256, "a") != base
    )
    with pytest.raises(ValueError, match="lacks issued_at"):
        chain.entry_hash(
            chain.GENESIS,
            {k: v for k, v in entry.metadata.items() if k != "issued_at"},
            "",
            "",
        )


def test_a_changed_pdf_byte_is_the_first_break():
    entries = _chain()
    entries[2] = replace(entries[2], pdf=entries[2].pdf + b" ")
    broken = chain.verify_chain(entries)
    assert (broken.sequence, broken.reason) == (3, "pdf")


def test_a_changed_xml_is_caught():
    entries = _chain()
    entries[1] = replace(entries[1], xml=b"<xml>forged</xml>")
    assert chain.verify_chain(entries).reason == "xml"


def test_a_file_replaced_with_its_hash_updated_breaks_the_entry_hash():
    entries = _chain()
    forged = b"%PDF-1.7 forged"
    entries[1] = replace(entries[1], pdf=forged, pdf_sha256=chain.sha256_hex(forged))
    broken = chain.verify_chain(entries)
    assert (broken.sequence, broken.reason) == (2, "entry")


def test_changed_metadata_breaks_the_entry_hash():
    entries = _chain()
    metadata = {**entries[0].metadata, "amount_total": "1.00"}
    entries[0] = replace(entries[0], metadata=metadata)
    broken = chain.verify_chain(entries)
    assert (broken.sequence, broken.reason) == (1, "entry")


def test_a_rehashed_entry_breaks_the_next_link():
    entries = _chain()
    metadata = {**entries[1].metadata, "amount_total": "1.00"}
    forged = chain.entry_hash(
        entries[1].previous_hash, metadata, entries[1].pdf_sha256, entries[1].xml_sha256
    )
    entries[1] = replace(entries[1], metadata=metadata, entry_hash=forged)
    broken = chain.verify_chain(entries)
    assert (broken.sequence, broken.reason) == (3, "previous")


def test_a_removed_entry_is_a_sequence_gap():
    entries = _chain()
    del entries[1]
    broken = chain.verify_chain(entries)
    assert (broken.sequence, broken.reason) == (3, "sequence")


def test_retention_end_is_ten_years_after_the_fiscal_year_end():
    assert chain.retention_end(date(2026, 12, 31)) == date(2036, 12, 31)
    assert chain.retention_end(date(2028, 2, 29)) == date(2038, 2, 28)
    assert chain.retention_end(date(2027, 3, 31), years=6) == date(2033, 3, 31)


def test_safe_filename():
    assert chain.safe_filename("INV/2026/00001") == "INV_2026_00001"
    assert chain.safe_filename("../..") == "document"
    assert chain.export_paths("Facturo / INV", _chain(1)[0]) == (
        "files/Facturo___INV/000001_INV_2026_00001.pdf",
        "files/Facturo___INV/000001_INV_2026_00001.xml",
    )


def test_export_zip_holds_files_manifests_and_chain():
    entries = _chain(3)
    entries_b = _chain(2)
    content = chain.build_export_zip(
        {"Facturo / INV": entries, "Facturo / INV2": entries_b}, "2026-10-01"
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        assert {"manifest.csv", "manifest.json", "chain.json"} <= names
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
        assert len(rows) == 5
        for row in rows:
            assert chain.sha256_hex(archive.read(row["pdf_file"])) == row["pdf_sha256"]
            assert chain.sha256_hex(archive.read(row["xml_file"])) == row["xml_sha256"]
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["entries"] == rows
        chains = json.loads(archive.read("chain.json"))
        assert [c["intact"] for c in chains] == [True, True]
        assert chains[0]["entries"][-1]["entry_hash"] == entries[-1].entry_hash
        assert chains[0]["genesis"] == chain.GENESIS


def test_export_zip_reports_a_broken_chain():
    entries = _chain(3)
    entries[2] = replace(entries[2], xml=b"<x/>")
    content = chain.build_export_zip({"c": entries})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        (report,) = json.loads(archive.read("chain.json"))
    assert report["intact"] is False
    assert report["first_break"]["sequence"] == 3
    assert report["first_break"]["reason"] == "xml"


def test_a_contiguous_part_of_a_chain_verifies_from_its_anchor():
    entries = _chain(5)
    assert chain.verify_chain(entries[2:], partial=True) is None
    broken = chain.verify_chain(entries[2:])
    assert (broken.sequence, broken.reason) == (3, "sequence")
    gap = entries[1:2] + entries[3:]
    assert chain.verify_chain(gap, partial=True).reason == "sequence"
