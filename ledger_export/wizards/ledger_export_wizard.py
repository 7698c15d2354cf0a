# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import api, fields, models

from ..tools import formats

EXPORT_FIELDS = (
    "export_format",
    "date_from",
    "date_to",
    "official",
    "encoding",
    "separator",
    "csv_delimiter",
    "csv_decimal_separator",
    "csv_date_format",
    "only_not_exported",
    "lock_period",
)


class LedgerExportWizard(models.TransientModel):
    _name = "ledger.export.wizard"
    _description = "Ledger Export Wizard"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    export_format = fields.Selection(
        selection=lambda self: self.env["ledger.export"]
        ._fields["export_format"]
        ._description_selection(self.env),
        string="Format",
        required=True,
        default=lambda self: self.env.context.get("default_export_format", "fec"),
    )
    period_mode = fields.Selection(
        [("fiscal_year", "Fiscal year"), ("range", "Date range")],
        string="Period",
        required=True,
        default="fiscal_year",
    )
    fiscal_year = fields.Integer(
        help="The year in which the fiscal year closes.",
        default=lambda self: fields.Date.context_today(self).year - 1,
    )
    date_from = fields.Date(
        string="Start Date",
        compute="_compute_dates",
        store=True,
        readonly=False,
    )
    date_to = fields.Date(
        string="End Date",
        compute="_compute_dates",
        store=True,
        readonly=False,
    )
    official = fields.Boolean(string="Posted Entries Only", default=True)
    excluded_journal_ids = fields.Many2many(
        "account.journal",
        string="Excluded Journals",
        domain="[('company_id', 'parent_of', company_id)]",
    )
    encoding = fields.Selection(
        selection=lambda self: self.env["ledger.export"]
        ._fields["encoding"]
        ._description_selection(self.env),
        compute="_compute_encoding",
        store=True,
        readonly=False,
    )
    separator = fields.Selection(
        selection=lambda self: self.env["ledger.export"]
        ._fields["separator"]
        ._description_selection(self.env),
        string="FEC Separator",
        required=True,
        default="pipe",
    )
    csv_delimiter = fields.Selection(
        selection=lambda self: self.env["ledger.export"]
        ._fields["csv_delimiter"]
        ._description_selection(self.env),
        string="CSV Delimiter",
        required=True,
        default=";",
    )
    csv_decimal_separator = fields.Selection(
        selection=lambda self: self.env["ledger.export"]
        ._fields["csv_decimal_separator"]
        ._description_selection(self.env),
        string="Decimal Separator",
        required=True,
        default=",",
    )
    csv_date_format = fields.Selection(
        selection="_selection_csv_date_format",
        string="Date Format",
        required=True,
        default=formats.DATE_FORMAT_PRESETS[0],
    )
    only_not_exported = fields.Boolean(string="Only Entries Not Yet Exported")
    lock_period = fields.Boolean(
        string="Lock the Period",
        help="Once the official FEC is generated and its checks pass, set the "
        "company's global lock date to the end date.",
    )

    @api.model
    def _selection_csv_date_format(self):
        """The usual date formats, shown as ``31/12/2025 (DD/MM/YYYY)``."""
        Export = self.env["ledger.export"]
        return [
            (date_format, Export._date_format_label(date_format))
            for date_format in formats.DATE_FORMAT_PRESETS
        ]

    @api.depends("period_mode", "fiscal_year", "company_id")
    def _compute_dates(self):
        for wizard in self:
            if wizard.period_mode != "fiscal_year" or not wizard.fiscal_year:
                continue
            company = wizard.company_id
            closing = date(
                wizard.fiscal_year,
                int(company.fiscalyear_last_month),
                1,
            )
            dates = company.compute_fiscalyear_dates(closing)
            wizard.date_from = dates["date_from"]
            wizard.date_to = dates["date_to"]

    @api.depends("export_format")
    def _compute_encoding(self):
        for wizard in self:
            wizard.encoding = "utf-8" if wizard.export_format == "ebp" else "iso8859-15"

    def _prepare_export_values(self):
        self.ensure_one()
        values = {name: self[name] for name in EXPORT_FIELDS}
        values.update(
            company_id=self.company_id.id,
            excluded_journal_ids=[fields.Command.set(self.excluded_journal_ids.ids)],
        )
        return values

    def action_export(self):
        """Create the export record and generate it (or queue it)."""
        self.ensure_one()
        export = self.env["ledger.export"].create(self._prepare_export_values())
        result = export._start()
        if isinstance(result, dict):
            return result
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ledger_export.ledger_export_action"
        )
        action.update(
            {"res_id": export.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action
