# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FEC file of a ledger export: written from the canonical extract and
checked as it is written, then described in writing (LPF art. A47 A-1)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime, formatLang
from odoo.tools.translate import get_translation

from ..tools import fec, fec_check, stream
from ..tools.exceptions import LedgerExportError
from ..tools.text import Transcoder

MAX_LISTED_FINDINGS = 200


class LedgerExportFec(models.AbstractModel):
    _name = "ledger.export.fec"
    _description = "Ledger Export: FEC file and description"

    @api.model
    def _write(self, export, out, extract):
        """The FEC: header and opening entry by ``fec.FecWriter``, then the
        period's lines as PostgreSQL formats them (the same bytes, faster),
        copied out and transcoded batch by batch. The checks read the bytes as they are
        written, in a thread: they end with the file."""
        file_name = self._filename(export)
        options = fec.FecOptions(encoding=export.encoding, separator=export.separator)
        opening = extract._opening_lines(export)
        fiscal_year = (export.date_from, export.date_to)
        checks = stream.BackgroundConsumer(
            lambda source: fec_check.check_fec(
                source, filename=file_name, fiscal_year=fiscal_year
            )
        )
        with checks:
            target = stream.TeeFile(out, checks)
            writer = fec.FecWriter(target, options)
            writer.write_header()
            writer.write_lines(opening)
            result = writer.close()
            transcoder = Transcoder(options.encoding)
            line_end = options.line_end

            def write_lines(data, _count):
                text = data.decode()
                if line_end != "\n":
                    text = text.replace("\n", line_end)
                target.write(transcoder.encode(text))

            lines = result.lines + extract._copy_fec_lines(
                export, options.separator, write_lines
            )
        return {
            "file_name": file_name,
            "line_count": lines,
            "transliterated_count": result.transliterated + transcoder.transliterated,
            "replaced_count": result.replaced + transcoder.replaced,
            **self._check_values(checks.result),
        }

    @api.model
    def _filename(self, export):
        return fec.fec_filename(
            self._company_siren(export.company_id),
            export.date_to,
            official=export.official,
        )

    @api.model
    def _company_siren(self, company):
        """The SIREN of the company: its registry number (SIREN, SIRET or
        RCS), else its SIRET (l10n_fr), else its French VAT number."""
        candidates = [
            (fec.siren_from_registry, company.company_registry),
            (fec.siren_from_registry, company["siret"] if "siret" in company else None),
            (fec.siren_from_vat, company.vat),
        ]
        for parse, value in candidates:
            if value:
                try:
                    return parse(value)
                except LedgerExportError:
                    continue
        raise UserError(
            self.env._(
                "The FEC file is named after the SIREN of %(company)s: set its "
                "Company Registry to its SIREN (9 digits) or SIRET (14 digits).",
                company=company.display_name,
            )
        )

    @api.model
    def _check_values(self, report):
        """What the export stores of a ``fec_check.CheckReport``."""
        if report.error_count:
            state = "failed"
        elif report.warning_count:
            state = "warning"
        else:
            state = "passed"
        listed = [
            self._finding_text(finding)
            for finding in report.findings[:MAX_LISTED_FINDINGS]
        ]
        hidden = len(report.findings) - len(listed)
        if hidden > 0:
            listed.append(self.env._("… and %(count)s more findings.", count=hidden))
        counts = [f"{code}: {count}" for code, count in sorted(report.counts.items())]
        gaps = [
            f"{sequence.journal} {sequence.prefix}: "
            + ", ".join(self._gap_labels(sequence))
            for sequence in report.sequences
            if sequence.gaps
        ]
        journals = [
            self.env._(
                "%(code)s %(label)s: %(entries)s entries, %(lines)s lines, "
                "debit %(debit)s, credit %(credit)s",
                code=journal.code,
                label=journal.label,
                entries=journal.entries,
                lines=journal.lines,
                debit=self._amount_text(journal.debit),
                credit=self._amount_text(journal.credit),
            )
            for _code, journal in sorted(report.journals.items())
        ]
        return {
            "journal_summary": "\n".join(journals) or False,
            "check_state": state,
            "check_error_count": report.error_count,
            "check_warning_count": report.warning_count,
            "check_report": "\n".join(counts + [""] + listed).strip() or False,
            "sequence_gaps": "\n".join(gaps) or False,
            "entry_count": report.entries,
            "total_debit": report.total_debit,
            "total_credit": report.total_credit,
        }

    @api.model
    def _amount_text(self, amount):
        """An amount as the company's language writes it (1 234,50 in French)."""
        return formatLang(self.env, float(amount), digits=2)

    @api.model
    def _gap_labels(self, sequence):
        """``INV/2024/00005`` or ``INV/2024/00005 to INV/2024/00007`` per gap."""
        return [
            sequence.format_number(start)
            if start == end
            else self.env._(
                "%(first)s to %(last)s",
                first=sequence.format_number(start),
                last=sequence.format_number(end),
            )
            for start, end in sequence.gaps
        ]

    @api.model
    def _finding_text(self, finding):
        """``[error] code: line 12: message`` in the language of the document:
        the checker's message template (marked with ``_lt`` in tools/, so in
        this addon's translations) translated, then filled in."""
        message = get_translation(
            "ledger_export", self.env.lang or "en_US", finding.template, finding.params
        )
        severity = {
            fec_check.ERROR: self.env._("error"),
            fec_check.WARNING: self.env._("warning"),
            fec_check.INFO: self.env._("information"),
        }.get(finding.severity, finding.severity)
        if finding.line:
            return self.env._(
                "[%(severity)s] %(code)s: line %(line)s: %(message)s",
                severity=severity,
                code=finding.code,
                line=finding.line,
                message=message,
            )
        return self.env._(
            "[%(severity)s] %(code)s: %(message)s",
            severity=severity,
            code=finding.code,
            message=message,
        )

    @api.model
    def _field_descriptions(self):
        """``(field name, what it holds)`` of the 18 FEC columns."""
        descriptions = [
            self.env._("journal code"),
            self.env._("journal label"),
            self.env._("entry number, continuous within each journal"),
            self.env._("accounting date of the entry"),
            self.env._("general ledger account number"),
            self.env._("general ledger account label"),
            self.env._("sub-ledger account (customer or vendor), blank if none"),
            self.env._("sub-ledger account label, blank if none"),
            self.env._("supporting document reference, '-' if none"),
            self.env._("supporting document date (invoice date, else entry date)"),
            self.env._("line label, '/' if none"),
            self.env._("debit amount"),
            self.env._("credit amount"),
            self.env._("matching (lettering) code of a full reconciliation"),
            self.env._("date the matching was recorded"),
            self.env._("validation date (the accounting date)"),
            self.env._("signed amount in foreign currency, blank if none"),
            self.env._("foreign currency code, blank if none"),
        ]
        return list(zip(fec.FEC_COLUMNS, descriptions, strict=True))

    @api.model
    def _description_text(self, export):
        """The written description of the FEC file (A47 A-1 II), plain text."""
        export.ensure_one()
        separator = self.env._("tab") if export.separator == "tab" else "|"
        encoding = dict(export._fields["encoding"]._description_selection(self.env))
        parts = [
            self.env._("Description of the FEC file %(name)s", name=export.file_name),
            "",
            self.env._(
                "Company: %(company)s, SIREN %(siren)s",
                company=export.company_id.name,
                siren=self._company_siren(export.company_id),
            ),
            self.env._(
                "Period: %(start)s to %(end)s; %(kind)s",
                start=format_date(self.env, export.date_from),
                end=format_date(self.env, export.date_to),
                kind=self.env._("official file, posted entries only")
                if export.official
                else self.env._("test file, draft entries included"),
            ),
            self.env._(
                "Generated on %(date)s by %(user)s; SHA-256 %(sha)s; %(size)s bytes",
                date=format_datetime(
                    self.env, fields.Datetime.now(), tz=export.user_id.tz or "UTC"
                ),
                user=export.user_id.name,
                sha=export.sha256,
                size=formatLang(self.env, export.file_size, digits=0),
            ),
            "",
            self.env._(
                "Structure: flat text file of %(lines)s lines after the header line "
                "(LPF art. A47 A-1, general case), %(count)s fields per line "
                "separated by %(separator)s, lines ending CR LF, encoded in "
                "%(encoding)s. Dates are written AAAAMMJJ; amounts in base 10 "
                "with a comma decimal separator, zero-padded, the unused side of "
                "Debit and Credit being zero. The opening entry (journal OUV) "
                "comes first, then the entries in the order of their date.",
                lines=export.line_count,
                count=len(fec.FEC_COLUMNS),
                separator=separator,
                encoding=encoding.get(export.encoding, export.encoding),
            ),
            self.env._(
                "%(transliterated)s characters the encoding lacks were "
                "transliterated, %(replaced)s replaced by '?'.",
                transliterated=export.transliterated_count,
                replaced=export.replaced_count,
            ),
            "",
            self.env._("Fields:"),
            *(
                f"{index:>2}. {name}: {text}"
                for index, (name, text) in enumerate(
                    self._field_descriptions(), start=1
                )
            ),
            "",
            self.env._("Journals:"),
            export.journal_summary or "-",
            "",
            self.env._("Numbering gaps (to be explained):"),
            export.sequence_gaps or self.env._("none"),
            "",
            self.env._(
                "Checks: %(errors)s errors, %(warnings)s warnings.",
                errors=export.check_error_count,
                warnings=export.check_warning_count,
            ),
            export.check_report or "",
        ]
        lines = [line for part in parts for line in part.split("\n")]
        return "\r\n".join(lines).rstrip() + "\r\n"

    @api.model
    def _attach_description(self, export):
        stem = export.file_name.rsplit(".", 1)[0]
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{stem}-description.txt",
                    "res_model": export._name,
                    "res_id": export.id,
                    "type": "binary",
                    "mimetype": "text/plain",
                    "raw": self._description_text(export).encode("utf-8"),
                }
            )
        )
