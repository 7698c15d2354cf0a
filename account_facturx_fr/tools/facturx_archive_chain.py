"""The tamper-evident chain of issued Factur-X documents (plain Python).

Each archive entry stores the exact PDF/A-3 and XML bytes issued, their
SHA-256, and an entry hash covering the previous entry's hash, both file
hashes and the key metadata of the invoice (integrity and authenticity of
the issued invoice, CGI art. 289 V; a reliable audit trail, art. 289 VII). Entries are
chained per company and journal, in ``sequence`` order starting at 1; the
first entry's previous hash is ``GENESIS``.

``verify_chain`` recomputes everything from the stored bytes and reports the
first broken link; ``retention_end`` gives the end of the 10-year retention
(Code de commerce L123-22) from the fiscal year end; ``manifest_rows`` and
``build_export_zip`` make the auditor export.
"""

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date

#: Version of the entry hash layout (part of the hashed text).
HASH_VERSION = 1
#: The previous hash of the first entry of a chain.
GENESIS = "0" * 64
#: Years of retention after the end of the fiscal year (Code de commerce L123-22).
RETENTION_YEARS = 10

#: Metadata covered by the entry hash, in this order.
HASHED_FIELDS = (
    "company",
    "journal",
    "sequence",
    "number",
    "move_type",
    "invoice_date",
    "partner",
    "amount_total",
    "currency",
    "issued_at",
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data or b"").hexdigest()


def entry_hash(previous_hash: str, metadata: dict, pdf_sha256: str, xml_sha256: str):
    """The SHA-256 of one entry: a canonical JSON of the version, the previous
    hash, both file hashes and ``HASHED_FIELDS`` of ``metadata`` (as text)."""
    missing = [name for name in HASHED_FIELDS if name not in metadata]
    if missing:
        raise ValueError(f"Archive metadata lacks {', '.join(missing)}")
    payload = {
        "version": HASH_VERSION,
        "previous": previous_hash,
        "pdf_sha256": pdf_sha256,
        "xml_sha256": xml_sha256,
        **{name: _text(metadata[name]) for name in HASHED_FIELDS},
    }
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class StoredEntry:
    """One archive entry as stored: metadata, hashes and the file bytes."""

    sequence: int
    metadata: dict
    pdf: bytes
    xml: bytes
    pdf_sha256: str
    xml_sha256: str
    previous_hash: str
    entry_hash: str
    ref: object = None  # the caller's handle (record id)


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link of a chain."""

    sequence: int
    reason: str  # pdf, xml, previous, entry, sequence
    detail: str
    ref: object = None


def verify_chain(entries, partial: bool = False) -> ChainBreak | None:
    """The first broken link of ``entries`` (one chain), or None if intact.

    Checks, entry by entry in sequence order: consecutive sequence numbers
    (from 1, or with ``partial`` from the first entry given, whose previous
    hash is then taken as the anchor), each file's SHA-256 against its stored
    bytes, the previous hash against the preceding entry's hash, and the
    entry hash recomputed.
    """
    ordered = sorted(entries, key=lambda e: e.sequence)
    first = ordered[0].sequence if partial and ordered else 1
    previous = ordered[0].previous_hash if partial and ordered else GENESIS
    for expected_sequence, entry in enumerate(ordered, first):
        if entry.sequence != expected_sequence:
            return ChainBreak(
                entry.sequence,
                "sequence",
                f"expected entry {expected_sequence}, found {entry.sequence}",
                entry.ref,
            )
        for kind, data, stored in (
            ("pdf", entry.pdf, entry.pdf_sha256),
            ("xml", entry.xml, entry.xml_sha256),
        ):
            actual = sha256_hex(data)
            if actual != stored:
                return ChainBreak(
                    entry.sequence,
                    kind,
                    f"the {kind.upper()} file hashes to {actual}, {stored} recorded",
                    entry.ref,
                )
        if entry.previous_hash != previous:
            return ChainBreak(
                entry.sequence,
                "previous",
                f"previous hash {entry.previous_hash} instead of {previous}",
                entry.ref,
            )
        recomputed = entry_hash(
            previous, entry.metadata, entry.pdf_sha256, entry.xml_sha256
        )
        if recomputed != entry.entry_hash:
            return ChainBreak(
                entry.sequence,
                "entry",
                f"entry hash recomputes to {recomputed}, {entry.entry_hash} recorded",
                entry.ref,
            )
        previous = entry.entry_hash
    return None


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_end(fiscal_year_end: date, years: int = RETENTION_YEARS) -> date:
    """The last day of retention: ``years`` after the fiscal year end."""
    return add_years(fiscal_year_end, years)


# ---------------------------------------------------------------------------
# Auditor export
# ---------------------------------------------------------------------------

MANIFEST_COLUMNS = (
    "chain",
    *HASHED_FIELDS,
    "retention_end",
    "pdf_file",
    "pdf_sha256",
    "xml_file",
    "xml_sha256",
    "previous_hash",
    "entry_hash",
)


def safe_filename(text: str) -> str:
    """``text`` usable as a file name inside the zip."""
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
    return keep.strip("._") or "document"


def export_paths(label: str, entry: StoredEntry) -> tuple[str, str]:
    """The paths of an entry's PDF and XML inside the export zip: one folder
    per chain, files named by position and invoice number."""
    folder = safe_filename(label)
    stem = safe_filename(f"{entry.sequence:06d}_{entry.metadata['number']}")
    return f"files/{folder}/{stem}.pdf", f"files/{folder}/{stem}.xml"


def manifest_rows(label: str, entries) -> list[dict]:
    """One manifest row (``MANIFEST_COLUMNS``) per entry of chain ``label``."""
    rows = []
    for entry in entries:
        pdf_path, xml_path = export_paths(label, entry)
        row = {name: _text(entry.metadata.get(name)) for name in MANIFEST_COLUMNS}
        row.update(
            chain=label,
            sequence=str(entry.sequence),
            pdf_file=pdf_path,
            pdf_sha256=entry.pdf_sha256,
            xml_file=xml_path,
            xml_sha256=entry.xml_sha256,
            previous_hash=entry.previous_hash,
            entry_hash=entry.entry_hash,
        )
        rows.append(row)
    return rows


def build_export_zip(chains: dict, generated_at: str = "") -> bytes:
    """The auditor zip of ``chains`` ({chain label: [StoredEntry, …]}), each a
    contiguous run of entries (the first one's previous hash is the anchor).

    Holds ``files/`` (every PDF/A-3 and XML byte for byte), ``manifest.csv``
    and ``manifest.json`` (one row per entry) and ``chain.json`` (per chain:
    the hash algorithm, the genesis value, the ordered entry hashes and the
    verification result).
    """
    buffer = io.BytesIO()
    rows, chain_report = [], []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label, entries in chains.items():
            ordered = sorted(entries, key=lambda e: e.sequence)
            for entry in ordered:
                pdf_path, xml_path = export_paths(label, entry)
                archive.writestr(pdf_path, entry.pdf)
                archive.writestr(xml_path, entry.xml)
            rows.extend(manifest_rows(label, ordered))
            broken = verify_chain(ordered, partial=True)
            chain_report.append(
                {
                    "chain": label,
                    "algorithm": "sha256",
                    "hash_version": HASH_VERSION,
                    "hashed_fields": list(HASHED_FIELDS),
                    "genesis": GENESIS,
                    "anchor_previous_hash": ordered[0].previous_hash if ordered else "",
                    "entries": [
                        {
                            "sequence": e.sequence,
                            "number": _text(e.metadata.get("number")),
                            "previous_hash": e.previous_hash,
                            "entry_hash": e.entry_hash,
                        }
                        for e in ordered
                    ],
                    "intact": broken is None,
                    "first_break": None
                    if broken is None
                    else {
                        "sequence": broken.sequence,
                        "reason": broken.reason,
                        "detail": broken.detail,
                    },
                }
            )
        csv_buffer = io.StringIO()
        writer = csv.DictWriter(csv_buffer, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        archive.writestr("manifest.csv", csv_buffer.getvalue())
        archive.writestr(
            "manifest.json",
            json.dumps(
                {"generated_at": generated_at, "entries": rows},
                indent=2,
                ensure_ascii=False,
            ),
        )
        archive.writestr(
            "chain.json", json.dumps(chain_report, indent=2, ensure_ascii=False)
        )
    return buffer.getvalue()
