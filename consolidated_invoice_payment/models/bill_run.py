# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import formatLang


class BillRun(models.Model):
    _inherit = "bill.run"

    preview_collect_count = fields.Integer(
        string="Automatic payments (preview)",
        compute="_compute_preview_collect",
        help="How many of the previewed invoices will be charged or debited "
        "automatically once the run posts them.",
    )
    preview_collect_amount = fields.Monetary(
        string="To be collected automatically",
        compute="_compute_preview_collect",
        help="The total, taxes included, of the previewed invoices that will be "
        "charged or debited automatically with the customers' saved payment "
        "methods.",
    )
    collect_count = fields.Integer(
        string="Automatic payments",
        compute="_compute_collect",
        help="The invoices of this run whose automatic payment was scheduled.",
    )
    collect_amount = fields.Monetary(
        string="Collection scheduled",
        compute="_compute_collect",
        help="The total, taxes included, of the invoices of this run whose "
        "automatic payment was scheduled.",
    )

    @api.depends("customer_ids.preview_collect_amount")
    def _compute_preview_collect(self):
        totals = {}
        saved = self.filtered("id")
        if saved:
            totals = {
                run.id: (count, amount)
                for run, count, amount in self.env["bill.run.customer"]._read_group(
                    [("run_id", "in", saved.ids)],
                    ["run_id"],
                    ["preview_collect_count:sum", "preview_collect_amount:sum"],
                )
            }
        for run in self:
            run.preview_collect_count, run.preview_collect_amount = totals.get(
                run.id, (0, 0.0)
            )

    @api.depends("customer_ids.invoice_ids.payment_attempt_ids")
    def _compute_collect(self):
        """One search for the runs' invoices whose collection started (a
        large run's invoices are not read one by one)."""
        totals = {}
        saved = self.filtered("id")
        if saved:
            moves = self.env["account.move"].search_fetch(
                Domain("id", "in", saved.customer_ids.invoice_ids.ids)
                & Domain("payment_attempt_ids", "!=", False),
                ["amount_total_signed"],
            )
            amount_of = {move.id: move.amount_total_signed for move in moves}
            for run in saved:
                ids = set(run.customer_ids.invoice_ids.ids) & amount_of.keys()
                totals[run.id] = (len(ids), sum(amount_of[i] for i in ids))
        for run in self:
            run.collect_count, run.collect_amount = totals.get(run.id, (0, 0.0))

    def _preview_line_values(self, partner, contracts, invoices):
        """The customer's previewed invoices that will be collected
        automatically: how many, and their total taxes included."""
        values = super()._preview_line_values(partner, contracts, invoices)
        collected = {}
        for command in values["preview_line_ids"]:
            line = command[2]
            if line.get("collection_date") and not line["carried_over"]:
                collected.setdefault(line["invoice_index"], 0.0)
                collected[line["invoice_index"]] += line["price_total"]
        # an invoice with nothing to pay is not charged
        collected = {
            index: amount
            for index, amount in collected.items()
            if not self.currency_id.is_zero(amount)
        }
        values["preview_collect_count"] = len(collected)
        values["preview_collect_amount"] = self.currency_id.round(
            sum(collected.values())
        )
        return values

    def _summary_text(self):
        """The run's summary also says what it started collecting."""
        text = super()._summary_text()
        if not self.collect_count:
            return text
        return " ".join(
            [
                text,
                self.env._(
                    "Automatic payment scheduled for %(count)s invoices (%(amount)s).",
                    count=self.collect_count,
                    amount=formatLang(
                        self.env, self.collect_amount, currency_obj=self.currency_id
                    ),
                ),
            ]
        )
