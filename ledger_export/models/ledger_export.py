# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import logging
import os
import shutil
import tempfile
import time
from itertools import chain

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from ..tools import formats
from ..tools.exceptions import LedgerExportError
from .ledger_export_extract import MARKED_FORMATS

_logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20
MIMETYPES = {"fec": "text/plain", "csv": "text/csv", "ebp": "text/csv"}


class _HashingFile:
    """Binary file wrapper computing the SHA-256 of the file and the SHA-1
    Odoo's filestore names files by."""

    def __init__(self, handle):
        self.handle = handle
        self.sha1 = hashlib.sha1()
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data):  # pylint: disable=method-required-super
        self.sha1.update(data)
        self.sha256.update(data)
        self.size += len(data)
        return self.handle.write(data)


class LedgerExport(models.Model):
    _name = "ledger.export"
    _description = "Ledger Export"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    export_format = fields.Selection(
        [
            ("fec", "FEC (Fichier des Écritures Comptables)"),
            ("csv", "Journal items CSV"),
            ("ebp", "EBP trial balance"),
            ("quadra", "Quadratus ASCII"),
        ],
        string="Format",
        required=True,
        readonly=True,
        default="fec",
    )
    date_from = fields.Date(string="Start Date", required=True, readonly=True)
    date_to = fields.Date(
        string="End Date",
        required=True,
        readonly=True,
        help="For the FEC, the fiscal year closing date that names the file.",
    )
    official = fields.Boolean(
        string="Posted Entries Only",
        default=True,
        readonly=True,
        help="The official FEC holds posted entries only; otherwise draft "
        "entries are included and the file is named -NONOFFICIAL.",
    )
    excluded_journal_ids = fields.Many2many(
        "account.journal", string="Excluded Journals", readonly=True
    )
    encoding = fields.Selection(
        [
            ("iso8859-15", "ISO 8859-15 (Latin-9)"),
            ("utf-8", "UTF-8"),
            ("ascii", "ASCII"),
        ],
        required=True,
        readonly=True,
        default="iso8859-15",
    )
    separator = fields.Selection(
        [("pipe", "Vertical bar |"), ("tab", "Tab")],
        string="FEC Separator",
        required=True,
        readonly=True,
        default="pipe",
    )
    csv_delimiter = fields.Selection(
        [
            (",", "Comma ,"),
            (";", "Semicolon ;"),
            ("|", "Vertical bar |"),
            ("tab", "Tab"),
        ],
        string="CSV Delimiter",
        required=True,
        readonly=True,
        default=";",
    )
    csv_decimal_separator = fields.Selection(
        [(",", "Comma ,"), (".", "Dot .")],
        string="Decimal Separator",
        required=True,
        readonly=True,
        default=",",
    )
    csv_date_format = fields.Char(
        string="Date Format",
        required=True,
        readonly=True,
        default="%d/%m/%Y",
        help="A strftime format, e.g. %d/%m/%Y or %Y-%m-%d.",
    )
    csv_date_format_label = fields.Char(
        string="Date Format Shown",
        compute="_compute_csv_date_format_label",
        help="An example date in the format, then its pattern.",
    )
    lock_period = fields.Boolean(
        string="Lock the Period",
        readonly=True,
        help="Once the official FEC is generated and its checks pass, set the "
        "company's global lock date to the end date (as Odoo's own FEC export "
        "does without asking).",
    )
    only_not_exported = fields.Boolean(
        string="Only Entries Not Yet Exported",
        readonly=True,
        help="Leave out the entries an earlier CSV or Quadratus export holds.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("undone", "Undone"),
        ],
        required=True,
        readonly=True,
        default="draft",
        tracking=True,
    )
    error_message = fields.Text(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    description_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Description",
        readonly=True,
        help="The written description of the FEC (LPF art. A47 A-1 II): "
        "structure, encoding, journals, numbering gaps and check results.",
    )
    journal_summary = fields.Text(readonly=True)
    file_name = fields.Char(readonly=True)
    file_size = fields.Integer(string="Size (bytes)", readonly=True)
    sha256 = fields.Char(string="SHA-256", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    entry_count = fields.Integer(string="Entries", readonly=True)
    total_debit = fields.Monetary(readonly=True)
    total_credit = fields.Monetary(readonly=True)
    transliterated_count = fields.Integer(
        string="Transliterated Characters",
        readonly=True,
        help="Characters the encoding lacks, written with their closest "
        "equivalent (œ → oe in ASCII, € → EUR …).",
    )
    replaced_count = fields.Integer(
        string="Replaced Characters",
        readonly=True,
        help="Characters without any equivalent in the encoding, written '?'.",
    )
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    check_state = fields.Selection(
        [
            ("passed", "Passed"),
            ("warning", "Passed with warnings"),
            ("failed", "Failed"),
        ],
        string="Checks",
        readonly=True,
    )
    check_error_count = fields.Integer(string="Check Errors", readonly=True)
    check_warning_count = fields.Integer(string="Check Warnings", readonly=True)
    check_report = fields.Text(readonly=True)
    sequence_gaps = fields.Text(string="Numbering Gaps", readonly=True)
    move_ids = fields.One2many(
        "account.move", "ledger_export_id", string="Exported Entries", readonly=True
    )
    move_count = fields.Integer(compute="_compute_move_count")

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("export_format", "date_from", "date_to", "file_name")
    def _compute_name(self):
        labels = dict(self._fields["export_format"]._description_selection(self.env))
        for export in self:
            export.name = export.file_name or self.env._(
                "%(format)s from %(start)s to %(end)s",
                format=labels.get(export.export_format, ""),
                start=export.date_from or "",
                end=export.date_to or "",
            )

    @api.depends("csv_date_format")
    @api.depends_context("lang")
    def _compute_csv_date_format_label(self):
        for export in self:
            export.csv_date_format_label = (
                self._date_format_label(export.csv_date_format)
                if export.csv_date_format
                else False
            )

    @api.model
    def _date_format_label(self, date_format):
        """``31/12/2025 (DD/MM/YYYY)`` in the user's language."""
        tokens = {
            "%d": self.env._("DD"),
            "%m": self.env._("MM"),
            "%Y": self.env._("YYYY"),
            "%y": self.env._("YY"),
        }
        try:
            return formats.date_format_label(date_format, tokens)
        except ValueError:
            return date_format

    def _compute_move_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("ledger_export_id", "in", self.ids)],
                ["ledger_export_id"],
                ["__count"],
            )
        )
        for export in self:
            export.move_count = counts.get(export, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if export.date_from > export.date_to:
                raise ValidationError(
                    self.env._("The start date must be on or before the end date.")
                )

    @api.constrains("csv_date_format")
    def _check_csv_date_format(self):
        for export in self:
            try:
                formats.CsvOptions(date_format=export.csv_date_format)
            except LedgerExportError as exc:
                raise ValidationError(
                    self.env._(
                        "%(format)s is not a strftime date format.",
                        format=export.csv_date_format,
                    )
                ) from exc

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_batch(self):
        for export in self:
            if export.move_ids:
                raise UserError(
                    self.env._(
                        "Undo the batch %(name)s before deleting it: %(count)s "
                        "entries remember it.",
                        name=export.display_name,
                        count=len(export.move_ids),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("This export has no file yet."))
        return self._download_action(self.attachment_id)

    def action_download_description(self):
        self.ensure_one()
        if not self.description_attachment_id:
            raise UserError(self.env._("This export has no description."))
        return self._download_action(self.description_attachment_id)

    @api.model
    def _download_action(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_undo_batch(self):
        """Forget which entries this batch exported, so they can be exported again."""
        if not self.env.user.has_group("ledger_export.group_ledger_export_manager"):
            raise AccessError(
                self.env._("Only a ledger export manager can undo an export batch.")
            )
        self._undo_batch()
        return True

    def action_retry(self):
        for export in self:
            if export.state != "failed":
                raise UserError(self.env._("Only a failed export can be retried."))
        self.write({"state": "draft", "error_message": False})
        return self._start()

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action.update(
            {
                "domain": [("ledger_export_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _start(self):
        """Generate each export now, or queue it for the cron when its ledger
        holds more journal items than ``ledger_export.background_threshold``.

        Returns a client notification for queued exports."""
        threshold = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ledger_export.background_threshold", 50000)
        )
        extract = self.env["ledger.export.extract"]
        queued = self.browse()
        for export in self:
            count = extract._count_lines(export)
            if not count and (
                export.export_format not in ("fec", "ebp")
                or not extract._opening_lines(export)
            ):
                raise UserError(export._empty_period_message())
            if count > threshold:
                queued |= export
            else:
                export._generate()
        if queued:
            queued.write({"state": "queued"})
            self.env.ref("ledger_export.ir_cron_ledger_export_generate")._trigger()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "The ledger is large: the file is being generated in the "
                        "background. You will be notified when it is ready."
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def _empty_period_message(self):
        """Why there is nothing to export, in the user's language."""
        self.ensure_one()
        company = self.company_id
        fiscal_year = company.compute_fiscalyear_dates(self.date_to)
        whole_year = (fiscal_year["date_from"], fiscal_year["date_to"]) == (
            self.date_from,
            self.date_to,
        )
        values = {
            "company": company.display_name,
            "year": self.date_to.year,
            "start": format_date(self.env, self.date_from),
            "end": format_date(self.env, self.date_to),
        }
        if self.only_not_exported and self.export_format in MARKED_FORMATS:
            return self.env._(
                "Every entry from %(start)s to %(end)s of %(company)s has been "
                "exported already: there is nothing new to export.",
                **values,
            )
        if self.official and whole_year:
            return self.env._(
                "No posted entry in %(year)s for %(company)s: there is nothing "
                "to export.",
                **values,
            )
        if self.official:
            return self.env._(
                "No posted entry from %(start)s to %(end)s for %(company)s: "
                "there is nothing to export.",
                **values,
            )
        return self.env._(
            "No entry from %(start)s to %(end)s for %(company)s: there is "
            "nothing to export.",
            **values,
        )

    @api.model
    def _cron_generate_queued(self):
        """Generate the queued exports, one committed transaction each; a
        failing export is marked failed and the others go on."""
        cron = self.env["ir.cron"]
        exports = self.search([("state", "=", "queued")], order="id")
        for index, export in enumerate(exports):
            requested = export.with_user(export.user_id).with_company(export.company_id)
            try:
                with self.env.cr.savepoint():
                    requested._generate()
            except Exception as exc:
                _logger.exception("Ledger export %s failed", export.id)
                export._mark_failed(exc)
            export._notify_requester()
            cron._commit_progress(1, remaining=len(exports) - index - 1)

    def _mark_failed(self, exc):
        message = exc.args[0] if isinstance(exc, UserError) and exc.args else str(exc)
        self.write({"state": "failed", "error_message": message})

    def _notify_requester(self):
        for export in self:
            if export.state == "done":
                body = self.env._(
                    "The export %(name)s is ready (%(lines)s lines).",
                    name=export.file_name,
                    lines=export.line_count,
                )
            else:
                body = self.env._(
                    "The export failed: %(error)s", error=export.error_message
                )
            export.message_post(
                body=body,
                partner_ids=export.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _generate(self):
        """Write the file of this export, check it, store it as an attachment."""
        self.ensure_one()
        if self.state not in ("draft", "queued"):
            raise UserError(self.env._("This export has already been generated."))
        self._check_lock_rights()
        start = fields.Datetime.now()
        clock = time.monotonic()
        extract = self.env["ledger.export.extract"].with_company(self.company_id)
        values = {}
        with tempfile.NamedTemporaryFile(
            prefix="ledger_export_", suffix=".tmp", delete=False
        ) as handle:
            path = handle.name
        try:
            with open(path, "wb") as raw:
                out = _HashingFile(raw)
                try:
                    values = self._write_file(out, extract)
                except LedgerExportError as exc:
                    raise UserError(
                        self.env._("The export cannot be written: %(error)s", error=exc)
                    ) from exc
            values["attachment_id"] = self._store_file(
                path, values["file_name"], out
            ).id
        finally:
            if os.path.exists(path):
                os.unlink(path)
        if self.export_format in MARKED_FORMATS:
            self._mark_moves(extract)
        values.update(
            state="done",
            error_message=False,
            sha256=out.sha256.hexdigest(),
            file_size=out.size,
            duration=time.monotonic() - clock,
        )
        self.write(values)
        if self.export_format == "fec":
            self.description_attachment_id = self._fec_service()._attach_description(
                self
            )
            if self.lock_period and self.official:
                self._lock_period()
        _logger.info(
            "Ledger export %s: %s lines in %.1f s (started %s)",
            self.id,
            self.line_count,
            self.duration,
            start,
        )
        return True

    def _fec_service(self):
        """The FEC service speaking the company's language: the journal
        summary, the checks and the written description are documents of the
        company, handed to its tax office, whoever exports them."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang
        if not lang or not self.env["res.lang"]._get_data(code=lang):
            lang = self.env.lang
        return self.env["ledger.export.fec"].with_context(lang=lang)

    def _check_lock_rights(self):
        if (
            self.lock_period
            and self.official
            and self.export_format == "fec"
            and not self.env.user.has_group("account.group_account_manager")
        ):
            raise UserError(
                self.env._(
                    "Only an accounting administrator can lock the period: "
                    "export without locking it, or ask one."
                )
            )

    def _lock_period(self):
        """Set the global lock date to the end date, unless the checks failed."""
        company = self.company_id
        if self.check_state == "failed":
            self.message_post(
                body=self.env._(
                    "The period is not locked: the checks of the file failed."
                )
            )
            return
        if (
            company.fiscalyear_lock_date
            and company.fiscalyear_lock_date >= self.date_to
        ):
            return
        company.fiscalyear_lock_date = self.date_to
        self.message_post(
            body=self.env._("Entries are locked up to %(date)s.", date=self.date_to)
        )

    def _write_file(self, out, extract):
        """Stream the canonical extract into ``out`` in the chosen format;
        returns the values to store on the export."""
        if self.export_format == "fec":
            return self._fec_service()._write(self, out, extract)
        rows = extract._iter_lines(self)
        if self.export_format == "csv":
            options = formats.CsvOptions(
                delimiter=self.csv_delimiter,
                decimal_separator=self.csv_decimal_separator,
                date_format=self.csv_date_format,
                encoding=self.encoding,
            )
            result = formats.write_csv(out, rows, options)
            extension = ".csv"
        elif self.export_format == "ebp":
            lines = chain(extract._opening_lines(self), rows)
            result = formats.write_ebp_balance(
                out, lines, formats.EbpOptions(encoding=self.encoding)
            )
            extension = ".csv"
        else:
            result = formats.write_quadra(
                out, rows, formats.QuadraOptions(encoding=self.encoding)
            )
            extension = ".txt"
        period = f"{self.date_from:%Y%m%d}_{self.date_to:%Y%m%d}"
        return {
            "file_name": f"{self.export_format.upper()}_{period}{extension}",
            "line_count": result.rows,
            "transliterated_count": result.transliterated,
            "replaced_count": result.replaced,
        }

    def _store_file(self, path, file_name, out):
        """Attach the written file without loading it in memory: it is copied
        into the filestore under its SHA-1, as ``ir.attachment`` names files."""
        Attachment = self.env["ir.attachment"].sudo()
        attachment = Attachment.create(
            {
                "name": file_name,
                "res_model": self._name,
                "res_id": self.id,
                "type": "binary",
                "mimetype": MIMETYPES.get(self.export_format, "text/plain"),
            }
        )
        if Attachment._storage() == "db":
            with open(path, "rb") as handle:
                attachment.raw = handle.read()
            return attachment
        checksum = out.sha1.hexdigest()
        fname = f"{checksum[:2]}/{checksum}"
        full_path = Attachment._full_path(fname)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if not os.path.exists(full_path):
            Attachment._mark_for_gc(fname)
            with open(path, "rb") as source, open(full_path, "wb") as target:
                shutil.copyfileobj(source, target, COPY_CHUNK)
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s, file_size = %s, "
                "checksum = %s WHERE id = %s",
                fname,
                out.size,
                checksum,
                attachment.id,
            )
        )
        attachment.invalidate_recordset(["store_fname", "file_size", "checksum"])
        return attachment

    def _mark_moves(self, extract):
        """Each exported entry remembers this batch (one UPDATE, no ORM loop)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET ledger_export_id = %s WHERE id IN (%s)",
                self.id,
                extract._moves_subquery(self),
            )
        )
        self.env["account.move"].invalidate_model(["ledger_export_id"])

    def _undo_batch(self):
        for export in self:
            if export.export_format not in MARKED_FORMATS or export.state != "done":
                raise UserError(
                    self.env._(
                        "Only a generated CSV or Quadratus export can be undone."
                    )
                )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET ledger_export_id = NULL "
                "WHERE ledger_export_id IN %s",
                tuple(self.ids),
            )
        )
        self.env["account.move"].invalidate_model(["ledger_export_id"])
        self.write({"state": "undone"})
        for export in self:
            export.message_post(
                body=self.env._("Batch undone: its entries can be exported again.")
            )
