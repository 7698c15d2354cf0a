# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import engine

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# the states of a run that has been through every customer
FINISHED_STATES = ("done", "partly_failed", "failed")


class DunningRun(models.Model):
    """One day's payment reminders for one company.

    *Preview* shows what would be sent and why, without writing any action;
    *Run* evaluates every customer again (an invoice paid meanwhile is not
    reminded), sends one message per customer and logs the actions. The
    daily cron runs the same code in committed batches. A run that got
    through every customer is *done*, *partly failed* when some of them
    failed, *failed* when all of them did (the states of a bill run); the
    failed customers are tried again by the next day's run.
    """

    _name = "dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("previewed", "Previewed"),
            ("running", "Running"),
            ("done", "Done"),
            ("partly_failed", "Partly failed"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    customer_ids = fields.One2many("dunning.run.customer", "run_id")
    sent_count = fields.Integer(string="Sent", compute="_compute_counts")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_counts")
    error_count = fields.Integer(string="Errors", compute="_compute_counts")
    preview_count = fields.Integer(string="To send", compute="_compute_counts")
    amount_total = fields.Monetary(
        string="Amount claimed", compute="_compute_counts", currency_field="currency_id"
    )

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Dunning %(date)s %(company)s",
                date=format_date(self.env, run.date) if run.date else "",
                company=run.company_id.name or "",
            )

    @api.depends("customer_ids.state", "customer_ids.amount_total")
    def _compute_counts(self):
        groups = self.env["dunning.run.customer"]._read_group(
            [("run_id", "in", self.ids)],
            ["run_id", "state"],
            ["__count", "amount_total:sum"],
        )
        counts = defaultdict(lambda: (0, 0.0))
        for run, state, count, amount in groups:
            counts[run.id, state] = (count, amount)
        for run in self:
            run.sent_count = counts[run.id, "sent"][0]
            run.skipped_count = counts[run.id, "skipped"][0]
            run.error_count = counts[run.id, "error"][0]
            run.preview_count = counts[run.id, "to_send"][0]
            run.amount_total = (
                counts[run.id, "to_send"][1]
                if run.state == "previewed"
                else counts[run.id, "sent"][1]
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_preview(self):
        for run in self:
            run._check_can_change()
            run._preview()
        return True

    def action_run(self):
        for run in self:
            run._check_can_change()
            run._start()
            run._process()
        return True

    def action_open_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dunning_levels.dunning_run_customer_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    def action_open_kanban(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "dunning_levels.dunning_customer_action"
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_can_change(self):
        self.ensure_one()
        if self.state in FINISHED_STATES:
            raise UserError(
                self.env._("The dunning run %(run)s is already done.", run=self.name)
            )
        running = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "running"),
                ("id", "!=", self.id),
            ],
            limit=1,
        )
        if running:
            raise UserError(
                self.env._(
                    "The dunning run %(run)s of this company is still running: "
                    "let it finish first.",
                    run=running.name,
                )
            )

    def _preview(self):
        """What the run would send today, and why; nothing is sent or logged."""
        self.ensure_one()
        self.customer_ids.filtered("preview").unlink()
        Evaluation = self.env["dunning.evaluation"]
        partner_ids = Evaluation._customers_to_evaluate(self.company_id, self.date)
        for start in range(0, len(partner_ids), BATCH_SIZE):
            partners = self.env["res.partner"].browse(
                partner_ids[start : start + BATCH_SIZE]
            )
            results = Evaluation._evaluate(self.company_id, self.date, partners)
            self.env["dunning.run.customer"]._create_from_results(
                self, results, preview=True
            )
            self._record_rate_warnings(results)
            self._release_cache()
        self.state = "previewed"

    def _start(self):
        self.ensure_one()
        self.customer_ids.filtered("preview").unlink()
        self.env["dunning.promise"]._settle(
            self.company_id,
            self.date,
            set(
                self.env["dunning.evaluation"]._customers_to_evaluate(
                    self.company_id, self.date
                )
            ),
        )
        self.state = "running"

    def _process(self):
        """Evaluate again and send, batch by batch; resumable.

        Customers already processed by this run are skipped, so a run
        interrupted (or a cron time-out) resumes where it stopped. Each batch
        is committed through ``ir.cron._commit_progress``; each customer is
        sent in its own savepoint.
        """
        self.ensure_one()
        Evaluation = self.env["dunning.evaluation"]
        Cron = self.env["ir.cron"]
        done = set(self.customer_ids.filtered(lambda c: not c.preview).partner_id.ids)
        partner_ids = [
            pid
            for pid in Evaluation._customers_to_evaluate(self.company_id, self.date)
            if pid not in done
        ]
        remaining = len(partner_ids)
        for start in range(0, len(partner_ids), BATCH_SIZE):
            batch = partner_ids[start : start + BATCH_SIZE]
            partners = self.env["res.partner"].browse(batch)
            results = Evaluation._evaluate(self.company_id, self.date, partners)
            customers = self.env["dunning.run.customer"]._create_from_results(
                self, results, preview=False
            )
            self.env["dunning.send"]._send_reminders(customers)
            self._record_rate_warnings(results)
            self.env["dunning.customer"]._refresh(self, results, customers)
            self.env["dunning.send"]._report_failures(self, results, customers)
            remaining -= len(batch)
            self._release_cache()
            if Cron._commit_progress(len(batch), remaining=remaining) <= 0:
                _logger.info("Dunning run %s: time is up, resumes later", self.name)
                return False
        self._conclude()
        Cron._commit_progress(0, remaining=0)
        return True

    def _conclude(self):
        """Done once every customer was processed; partly failed when some
        customers failed, failed when all of them did."""
        self.ensure_one()
        self.invalidate_recordset(["sent_count", "skipped_count", "error_count"])
        processed = self.customer_ids.filtered(lambda c: not c.preview)
        if not self.error_count:
            self.state = "done"
        elif self.error_count == len(processed):
            self.state = "failed"
        else:
            self.state = "partly_failed"

    def _record_rate_warnings(self, results):
        """Rate problems of the penalties claimed, kept on each policy."""
        Evaluation = self.env["dunning.evaluation"]
        by_policy = defaultdict(dict)
        for result in results.values():
            evaluation = result["evaluation"]
            if not evaluation or not evaluation.level:
                continue
            if not evaluation.level.claim_penalties:
                continue
            for note in evaluation.notes:
                if note.key in (
                    engine.NOTE_RATE_MISSING,
                    engine.NOTE_RATE_FLOOR,
                ):
                    text = Evaluation._note_text(note, self.company_id, {})
                    by_policy[result["policy"]][text] = True
        for policy, texts in by_policy.items():
            policy.sudo()._dunning_record_rate_warning(list(texts))

    def _release_cache(self):
        """Write the batch and empty the cache: without it, every batch would
        carry the records of all the previous ones (memory and time grow
        with the square of the number of customers)."""
        self.env.flush_all()
        self.env.invalidate_all()

    @api.model
    def _cron_run(self):
        """Daily: one run per company with a dunning policy; resumes a run
        left running by a previous cron call."""
        companies = (
            self.env["dunning.policy"].search([("level_ids", "!=", False)]).company_id
        )
        today = fields.Date.context_today(self)
        for company in companies:
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "running"),
                ],
                limit=1,
            )
            if not run:
                run = self.create({"company_id": company.id, "date": today})
                run._start()
            if not run.with_company(company)._process():
                return
