# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import facturx_archive_chain as chain

_logger = logging.getLogger(__name__)

#: The validation steps as named in the summary.
STEP_LABELS = {
    "xsd": "XSD",
    "en16931": "EN 16931",
    "extended": "Factur-X EXTENDED",
    "br-fr": "BR-FR",
}


class FacturxArchive(models.Model):
    """One issued Factur-X document, byte for byte, in a hash chain.

    Entries are chained per company and journal (``sequence`` from 1); each
    ``entry_hash`` covers the previous entry's hash, the SHA-256 of both files
    and the key metadata (``tools.facturx_archive_chain``). Nothing can be
    changed or deleted through the ORM, not even by an administrator; the
    integrity check recomputes the chain from the stored bytes.
    """

    _name = "facturx.archive"
    _description = "Factur-X archive entry"
    _order = "company_id, journal_id, sequence desc"
    _rec_name = "number"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    journal_id = fields.Many2one("account.journal", required=True, readonly=True)
    sequence = fields.Integer(required=True, readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    number = fields.Char(required=True, readonly=True)
    move_type = fields.Char(required=True, readonly=True)
    invoice_date = fields.Date(required=True, readonly=True)
    partner_name = fields.Char(string="Customer", readonly=True)
    amount_total = fields.Char(string="Total", readonly=True)
    currency_name = fields.Char(string="Currency", readonly=True)
    issued_at = fields.Char(
        required=True,
        readonly=True,
        help="UTC time the document was issued, as hashed.",
    )
    pdf_file = fields.Binary(string="PDF/A-3", attachment=False, readonly=True)
    pdf_filename = fields.Char(readonly=True)
    pdf_sha256 = fields.Char(string="PDF SHA-256", required=True, readonly=True)
    xml_file = fields.Binary(string="Factur-X XML", attachment=False, readonly=True)
    xml_filename = fields.Char(readonly=True)
    xml_sha256 = fields.Char(string="XML SHA-256", required=True, readonly=True)
    previous_hash = fields.Char(required=True, readonly=True)
    entry_hash = fields.Char(required=True, readonly=True)
    retention_end_date = fields.Date(
        required=True,
        readonly=True,
        help="Ten years after the end of the fiscal year of the invoice "
        "(Code de commerce L123-22).",
    )
    validation_report = fields.Text(
        readonly=True, help="Verdict of the offline validation pipeline (JSON)."
    )

    # what a person reads; the hashed values above stay as they were hashed
    document_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit note")],
        compute="_compute_display_values",
    )
    issued_on = fields.Datetime(string="Issued on", compute="_compute_display_values")
    currency_id = fields.Many2one(
        "res.currency", string="Invoice currency", compute="_compute_display_values"
    )
    total = fields.Monetary(string="Total amount", compute="_compute_display_values")
    validation_summary = fields.Text(
        string="Validation", compute="_compute_display_values"
    )

    _chain_position_unique = models.UniqueIndex("(company_id, journal_id, sequence)")

    # -------------------------------------------------------------------------
    # Computes
    # -------------------------------------------------------------------------

    @api.depends("move_type", "issued_at", "amount_total", "currency_name")
    def _compute_display_values(self):
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(set(self.mapped("currency_name"))))])
        }
        for entry in self:
            entry.document_type = entry.move_type
            entry.issued_on = fields.Datetime.to_datetime(entry.issued_at)
            entry.currency_id = currencies.get(entry.currency_name)
            entry.total = float(entry.amount_total or 0.0)
            entry.validation_summary = entry._validation_summary()

    def _validation_summary(self):
        """The stored verdict of the validation pipeline, in words."""
        self.ensure_one()
        try:
            report = json.loads(self.validation_report or "{}")
        except ValueError:
            return self.validation_report or ""
        if not report:
            return ""
        steps = ", ".join(
            STEP_LABELS.get(step, step) for step in report.get("steps", ())
        )
        errors = report.get("errors") or []
        warnings = report.get("warnings") or []
        if not errors and not steps:
            head = self.env._("Valid.")
        elif not errors:
            head = self.env._("Valid (%(steps)s).", steps=steps)
        else:
            head = self.env._(
                "%(count)s error(s) (%(steps)s).", count=len(errors), steps=steps
            )
        lines = [head]
        lines += [
            f"- {finding.get('rule_id')}: {finding.get('text', '').strip()}"
            for finding in errors + warnings
        ]
        if warnings:
            lines.append(self.env._("%(count)s warning(s).", count=len(warnings)))
        return "\n".join(lines)

    # -------------------------------------------------------------------------
    # CRUD
    # -------------------------------------------------------------------------

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "Factur-X archive entries cannot be modified: they are the "
                    "documents as issued."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_archived(self):
        raise UserError(
            self.env._(
                "Factur-X archive entries cannot be deleted before the end of "
                "their retention period, and not through Odoo."
            )
        )

    # -------------------------------------------------------------------------
    # Actions
    # -------------------------------------------------------------------------

    def action_check_integrity(self):
        """Check the chains of the selected entries' journals (all when none)."""
        results = self._check_integrity(self._chains_of(self))
        broken = [result for result in results if result["break"]]
        if broken:
            message = "\n".join(result["message"] for result in broken)
            kind = "danger"
        else:
            message = self.env._(
                "%(count)s chain(s) checked, %(entries)s document(s): all intact.",
                count=len(results),
                entries=sum(result["entries"] for result in results),
            )
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Factur-X archive integrity"),
                "message": message,
                "type": kind,
                "sticky": bool(broken),
            },
        }

    # -------------------------------------------------------------------------
    # Business methods
    # -------------------------------------------------------------------------

    @api.model
    def _archive_issued_document(self, move, pdf_filename, pdf, xml, report):
        """Append the document just issued for ``move`` to its chain."""
        company, journal = move.company_id, move.journal_id
        # one writer per chain at a time: the position and the previous hash
        self.env.cr.execute(
            SQL("SELECT pg_advisory_xact_lock(%s, %s)", company.id, journal.id)
        )
        last = self.search(
            [("company_id", "=", company.id), ("journal_id", "=", journal.id)],
            order="sequence desc",
            limit=1,
        )
        invoice_date = move.invoice_date or fields.Date.context_today(move)
        fiscal_year_end = company.compute_fiscalyear_dates(invoice_date)["date_to"]
        values = {
            "company_id": company.id,
            "journal_id": journal.id,
            "sequence": last.sequence + 1,
            "move_id": move.id,
            "number": move.name,
            "move_type": move.move_type,
            "invoice_date": invoice_date,
            "partner_name": move.commercial_partner_id.name or "",
            "amount_total": f"{move.amount_total:.2f}",
            "currency_name": move.currency_id.name,
            "issued_at": fields.Datetime.to_string(fields.Datetime.now()),
            "pdf_filename": pdf_filename,
            "pdf_sha256": chain.sha256_hex(pdf),
            "xml_filename": "factur-x.xml",
            "xml_sha256": chain.sha256_hex(xml),
            "previous_hash": last.entry_hash or chain.GENESIS,
            "retention_end_date": chain.retention_end(fiscal_year_end),
            "validation_report": json.dumps(report, ensure_ascii=False),
            "pdf_file": base64.b64encode(pdf),
            "xml_file": base64.b64encode(xml),
        }
        values["entry_hash"] = chain.entry_hash(
            values["previous_hash"],
            self._hashed_metadata(values, company, journal),
            values["pdf_sha256"],
            values["xml_sha256"],
        )
        return self.create(values)

    @api.model
    def _hashed_metadata(self, values, company, journal):
        return {
            "company": company.id,
            "journal": journal.id,
            "sequence": values["sequence"],
            "number": values["number"],
            "move_type": values["move_type"],
            "invoice_date": fields.Date.to_date(values["invoice_date"]),
            "partner": values["partner_name"],
            "amount_total": values["amount_total"],
            "currency": values["currency_name"],
            "issued_at": values["issued_at"],
        }

    @api.model
    def _chains_of(self, entries=None):
        """The (company, journal) pairs of ``entries``, or of every entry."""
        domain = [("id", "in", entries.ids)] if entries else []
        groups = self.sudo()._read_group(domain, ["company_id", "journal_id"])
        return [(company, journal) for company, journal in groups]

    @api.model
    def _stored_entries(self, company, journal):
        """The chain of ``company`` and ``journal`` as ``StoredEntry``, read
        straight from the database (what is stored, not what is cached)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, sequence, number, move_type, invoice_date,
                       partner_name, amount_total, currency_name, issued_at,
                       pdf_file, xml_file, pdf_sha256, xml_sha256,
                       previous_hash, entry_hash
                  FROM facturx_archive
                 WHERE company_id = %s AND journal_id = %s
                 ORDER BY sequence
                """,
                company.id,
                journal.id,
            )
        )
        entries = []
        for row in self.env.cr.dictfetchall():
            metadata = self._hashed_metadata(
                {**row, "invoice_date": row["invoice_date"]}, company, journal
            )
            entries.append(
                chain.StoredEntry(
                    sequence=row["sequence"],
                    metadata=metadata,
                    pdf=self._decode(row["pdf_file"]),
                    xml=self._decode(row["xml_file"]),
                    pdf_sha256=row["pdf_sha256"],
                    xml_sha256=row["xml_sha256"],
                    previous_hash=row["previous_hash"],
                    entry_hash=row["entry_hash"],
                    ref=row["id"],
                )
            )
        return entries

    @api.model
    def _decode(self, stored):
        if not stored:
            return b""
        try:
            return base64.b64decode(bytes(stored), validate=True)
        except ValueError:
            return bytes(stored)  # not base64 any more: hashed as found

    @api.model
    def _chain_label(self, company, journal):
        return f"{company.name} / {journal.code}"

    @api.model
    def _check_integrity(self, chains=None):
        """Verify each chain; one result dict per chain, with its first break."""
        results = []
        for company, journal in chains if chains is not None else self._chains_of():
            entries = self._stored_entries(company, journal)
            broken = chain.verify_chain(entries)
            label = self._chain_label(company, journal)
            message = ""
            if broken:
                number = next(
                    (e.metadata["number"] for e in entries if e.ref == broken.ref), ""
                )
                message = self.env._(
                    "%(chain)s: broken at entry %(sequence)s (%(number)s): %(detail)s",
                    chain=label,
                    sequence=broken.sequence,
                    number=number,
                    detail=broken.detail,
                )
            results.append(
                {
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "chain": label,
                    "entries": len(entries),
                    "break": broken,
                    "message": message,
                }
            )
        return results

    @api.model
    def _cron_check_integrity(self):
        """Monthly: verify every chain and log the first broken link of each."""
        results = self._check_integrity()
        for result in results:
            if result["break"]:
                _logger.error("Factur-X archive: %s", result["message"])
        _logger.info(
            "Factur-X archive: %s chain(s) checked, %s broken",
            len(results),
            sum(1 for result in results if result["break"]),
        )
        return results

    @api.model
    def _export_zip(self, entries):
        """The auditor zip of ``entries``: per chain, the contiguous run from the
        first to the last entry selected (so that every link can be checked),
        with the files, the manifests and the chain."""
        chains = {}
        wanted = set(entries.ids)
        for company, journal in self._chains_of(entries):
            stored = self._stored_entries(company, journal)
            positions = [e.sequence for e in stored if e.ref in wanted]
            first, last = min(positions), max(positions)
            chains[self._chain_label(company, journal)] = [
                entry for entry in stored if first <= entry.sequence <= last
            ]
        return chain.build_export_zip(
            chains, fields.Datetime.to_string(fields.Datetime.now())
        )
