# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# files larger than this are loaded by the cron, the user is notified
BACKGROUND_BYTES = 2 * 1024 * 1024


class UsageImport(models.Model):
    """One file of usage events and its report."""

    _name = "usage.import"
    _description = "Usage Import"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Requested by", default=lambda s: s.env.user
    )
    file = fields.Binary(required=True, attachment=True)
    filename = fields.Char()
    file_format = fields.Selection(
        [("csv", "CSV"), ("jsonl", "JSON lines")], required=True, default="csv"
    )
    source = fields.Char(
        required=True,
        default="file",
        help="The sender's name: a transaction id is unique per company and source.",
    )
    strict = fields.Boolean(
        string="All or nothing",
        default=True,
        help="Load nothing when a row is invalid or conflicts with a stored event.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Loaded"),
            ("refused", "Refused"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    accepted_count = fields.Integer(string="Accepted", readonly=True)
    duplicate_count = fields.Integer(string="Duplicates", readonly=True)
    conflict_count = fields.Integer(string="Conflicts", readonly=True)
    invalid_count = fields.Integer(string="Invalid", readonly=True)
    error_rows = fields.Json(readonly=True)
    report = fields.Text(compute="_compute_report")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_loaded(self):
        self.env["usage.event"]._check_no_events(
            "import_id",
            self,
            self.env._(
                "An import that loaded events cannot be deleted: it records who "
                "loaded them and when."
            ),
        )

    @api.depends("filename", "create_date")
    def _compute_name(self):
        for record in self:
            record.name = record.filename or self.env._("Usage import")

    @api.depends("error_rows")
    def _compute_report(self):
        for record in self:
            record.report = "\n".join(
                self.env._(
                    "Line %(line)s (%(transaction)s): %(reason)s",
                    line=row["line"],
                    transaction=row["transaction_id"] or "-",
                    reason=row["reason"],
                )
                for row in record.error_rows or []
            )

    def action_import(self):
        """Load the file now, or queue it when large (the cron loads it)."""
        for record in self:
            if record.state not in ("draft", "failed", "refused"):
                raise UserError(self.env._("This file is already loaded or queued."))
            attachment = record._attachment()
            if attachment.file_size > BACKGROUND_BYTES:
                record.state = "queued"
                self.env.ref("recurring_usage.ir_cron_usage_import")._trigger()
            else:
                record._load()
        return True

    def _attachment(self):
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "file"),
                    ("res_id", "=", self.id),
                ],
                limit=1,
            )
        )

    def _open_file(self):
        """The file as a binary stream, read from the filestore when it is
        there (a large file is never held in memory)."""
        attachment = self._attachment()
        if attachment.store_fname:
            return open(attachment._full_path(attachment.store_fname), "rb")
        return io.BytesIO(attachment.raw or b"")

    def _load(self):
        self.ensure_one()
        with self._open_file() as stream:
            report = (
                self.env["usage.ingestion"]
                .with_company(self.company_id)
                ._ingest(
                    stream,
                    self.file_format,
                    self.source,
                    strict=self.strict,
                    import_id=self.id,
                )
            )
        self.write(
            {
                "state": "done" if report["stored"] else "refused",
                "row_count": report["rows"],
                "accepted_count": report["accepted"],
                "duplicate_count": report["duplicates"],
                "conflict_count": report["conflicts"],
                "invalid_count": report["invalid"],
                "error_rows": report["errors"],
            }
        )
        return report

    @api.model
    def _cron_load_queued(self):
        """Load the queued files one by one, each in its own transaction, and
        tell their requester."""
        cron = self.env["ir.cron"]
        queued = self.search([("state", "=", "queued")], order="id")
        for index, record in enumerate(queued, start=1):
            try:
                with self.env.cr.savepoint():
                    record.with_user(record.user_id)._load()
                body = self.env._(
                    "Usage file loaded: %(accepted)s events accepted, %(duplicates)s "
                    "duplicates, %(conflicts)s conflicts, %(invalid)s invalid rows.",
                    accepted=record.accepted_count,
                    duplicates=record.duplicate_count,
                    conflicts=record.conflict_count,
                    invalid=record.invalid_count,
                )
            except Exception as error:
                _logger.warning("Usage import %s failed", record.id, exc_info=True)
                record.state = "failed"
                body = self.env._("Usage file not loaded: %(error)s", error=error)
            record.message_post(
                body=body,
                partner_ids=record.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            cron._commit_progress(1, remaining=len(queued) - index)
