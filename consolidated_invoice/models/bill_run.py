# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import operator
from collections import Counter, defaultdict

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, formatLang

# runs with at most this many customers are billed at once from the button
SYNCHRONOUS_CUSTOMERS = 20

# cron jobs working off running bill runs side by side (one job runs in one
# cron worker at a time, so parallel workers need a job each)
PROCESSING_CRONS = (
    "consolidated_invoice.ir_cron_bill_run_process",
    "consolidated_invoice.ir_cron_bill_run_process_second",
)

# claims retried in a new transaction after a concurrent worker's commit
MAX_STALE_CLAIMS = 10

# bus notification type of a run's progress, read by the bill_run_progressbar
# field of the run form (static/src/views/bill_run_progress_field.js)
PROGRESS_NOTIFICATION = "consolidated_invoice.bill_run_progress"

COMPARISONS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


class BillRun(models.Model):
    """Everything due at a date, invoiced customer by customer.

    A run is previewed (same code path, nothing created), then executed in
    committed chunks of customers. Customers are claimed with row locks
    (``FOR UPDATE SKIP LOCKED``), so two workers never bill the same customer;
    a killed run resumes with the customers still pending; the period ledger
    refuses any period billed twice whatever happens.
    """

    _name = "bill.run"
    _description = "Bill Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Everything scheduled on or before this date is billed; the "
        "invoices are dated on it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Leave empty to bill every customer with something due.",
    )
    automatic = fields.Boolean(readonly=True, help="Created by the daily cron.")
    user_id = fields.Many2one(
        "res.users",
        string="Started by",
        readonly=True,
        copy=False,
        help="Notified when the run is over.",
    )
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
        copy=False,
        index=True,
    )
    customer_ids = fields.One2many(
        "bill.run.customer", "run_id", string="Customer lines"
    )
    # computed from the customer lines on every read, never stored: workers
    # billing the same run at once then only write their own customer lines
    customer_count = fields.Integer(compute="_compute_counts")
    pending_count = fields.Integer(compute="_compute_counts")
    done_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(
        compute="_compute_counts", search="_search_error_count"
    )
    carried_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    amount_untaxed = fields.Monetary(compute="_compute_counts")
    preview_amount = fields.Monetary(
        string="Untaxed (preview)",
        compute="_compute_counts",
        help="The untaxed total of the invoices the preview announced.",
    )
    progress = fields.Float(compute="_compute_counts")

    @api.depends(
        "customer_ids.state",
        "customer_ids.invoice_count",
        "customer_ids.amount_untaxed",
        "customer_ids.preview_amount",
    )
    def _compute_counts(self):
        # saved runs: one grouped query (it flushes what it reads); a run
        # being created: its lines in memory
        states = defaultdict(Counter)
        totals = defaultdict(lambda: [0, 0.0, 0.0])
        saved = self.filtered("id")
        if saved:
            for run, state, count, invoices, amount, preview in self.env[
                "bill.run.customer"
            ]._read_group(
                [("run_id", "in", saved.ids)],
                ["run_id", "state"],
                [
                    "__count",
                    "invoice_count:sum",
                    "amount_untaxed:sum",
                    "preview_amount:sum",
                ],
            ):
                states[run.id][state] += count
                totals[run.id][0] += invoices
                totals[run.id][1] += amount
                totals[run.id][2] += preview
        for run in self - saved:
            states[run.id].update(run.customer_ids.mapped("state"))
        for run in self:
            counted, (invoices, amount, preview) = states[run.id], totals[run.id]
            total = counted.total()
            run.customer_count = total
            run.pending_count = counted["pending"]
            run.done_count = counted["done"]
            run.error_count = counted["error"]
            run.carried_count = counted["carried_over"]
            run.invoice_count = invoices
            run.amount_untaxed = amount
            run.preview_amount = preview
            finished = total - counted["pending"]
            run.progress = 100.0 * finished / total if total else 0.0

    def _search_error_count(self, operator, value):
        compare = COMPARISONS.get(operator)
        if compare is None or not isinstance(value, int):
            return NotImplemented
        counts = dict(
            (run.id, count)
            for run, count in self.env["bill.run.customer"]._read_group(
                [("state", "=", "error")], ["run_id"], ["__count"]
            )
        )
        ids = [run_id for run_id, count in counts.items() if compare(count, value)]
        found = Domain("id", "in", ids)
        if compare(0, value):
            # runs without any customer in error count 0
            return found | Domain("id", "not in", list(counts))
        return found

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "bill.run"
                ) or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_preview(self):
        """What the run would create, per customer, without creating it."""
        for run in self:
            if run.state not in ("draft", "previewed"):
                raise UserError(
                    self.env._("Only a run that has not started can be previewed.")
                )
            run.customer_ids.unlink()
            service = self.env["recurring.invoicing"].with_company(run.company_id)
            lines = []
            for partner, contracts in run._due_contracts_by_customer().items():
                try:
                    invoices = service._prepare_invoices(contracts, run.date)
                except UserError as error:
                    lines.append(
                        {
                            "partner_id": partner.id,
                            "contract_ids": [Command.set(contracts.ids)],
                            "state": "pending",
                            "message": str(error),
                        }
                    )
                    continue
                lines.append(run._preview_line_values(partner, contracts, invoices))
            run.customer_ids = [Command.create(values) for values in lines]
            run.state = "previewed"
        return True

    def action_run(self):
        """Start the run. A small run is billed at once; a larger one is worked
        off by the bill run cron in committed chunks, its progress shown."""
        background = False
        self.user_id = self.env.user
        for run in self:
            run._start()
            if run.pending_count <= SYNCHRONOUS_CUSTOMERS:
                run._process(commit=False)
            else:
                background = True
        if background:
            self._trigger_processing()
        return True

    def action_resume(self):
        """Go on with the customers still pending (after a crash, a kill)."""
        self.filtered(
            lambda r: r.state in ("failed", "partly_failed", "running")
        ).write({"state": "running"})
        self.customer_ids.filtered(lambda c: c.state == "error").write(
            {
                "state": "pending",
                "message": False,
                "retry_count": 0,
                "retry_after": False,
            }
        )
        self._trigger_processing()
        return True

    def action_view_customers(self):
        """The run's customer lines, to filter by state or error; the stat
        buttons pass their filter in the context."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "consolidated_invoice.bill_run_customer_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {
            key: value
            for key, value in self.env.context.items()
            if key.startswith("search_default_")
        }
        action["display_name"] = self.env._(
            "Customers of %(run)s", run=self.display_name
        )
        return action

    def action_view_invoices(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.customer_ids.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _due_contracts_by_customer(self, customers=None):
        """Contracts with something due at the run date, by customer: the
        run's customers, or ``customers`` (commercial partners) if given."""
        self.ensure_one()
        domain = Domain(
            self.env["recurring.invoicing"]._get_contracts_to_invoice_domain(self.date)
        ) & Domain("company_id", "=", self.company_id.id)
        if customers is None and self.partner_ids:
            customers = self.partner_ids.commercial_partner_id
        if customers is not None:
            domain &= Domain("commercial_partner_id", "in", customers.ids)
        contracts = self.env["recurring.contract"].search(domain, order="id")
        by_customer = defaultdict(lambda: self.env["recurring.contract"])
        for contract in contracts:
            by_customer[contract.commercial_partner_id] |= contract
        return by_customer

    def _preview_line_values(self, partner, contracts, invoices):
        created = [inv for inv in invoices if not inv.get("carried_over")]
        lines = self.env["bill.run.preview.line"]._values_from_invoices(
            invoices, partner
        )
        return {
            "partner_id": partner.id,
            "contract_ids": [Command.set(contracts.ids)],
            "state": "pending",
            "preview_invoice_count": len(created),
            "preview_line_count": sum(
                1
                for inv in created
                for command in inv["values"]["invoice_line_ids"]
                if command[2].get("display_type", "product") == "product"
            ),
            "preview_amount": self.currency_id.round(
                sum(
                    line["price_subtotal"] for line in lines if not line["carried_over"]
                )
            ),
            "preview_line_ids": [Command.create(line) for line in lines],
            "split_reason": "; ".join(
                sorted({r for inv in invoices for r in inv.get("split_reasons", [])})
            ),
            "message": self.env._("Below the minimum amount: carried over.")
            if invoices and not created
            else False,
        }

    def _start(self):
        """Create the customer lines if the run was not previewed; running."""
        self.ensure_one()
        if self.state in ("done", "partly_failed", "failed"):
            raise UserError(
                self.env._(
                    "Bill run %(run)s is finished; resume it to retry its failed "
                    "customers.",
                    run=self.name,
                )
            )
        if self.state == "draft":
            self.customer_ids = [
                Command.create(
                    {
                        "partner_id": partner.id,
                        "contract_ids": [Command.set(contracts.ids)],
                        "state": "pending",
                    }
                )
                for partner, contracts in self._due_contracts_by_customer().items()
            ]
        self.state = "running"

    def _claim_pending(self, limit, skip=()):
        """Pending customer lines nobody else is working on and not put off
        to later, locked until the next commit (``skip``: lines this
        transaction leaves to the next)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM bill_run_customer WHERE run_id = %s "
                "AND state = 'pending' AND id != ALL(%s) "
                "AND (retry_after IS NULL OR retry_after <= %s) "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                self.id,
                list(skip),
                fields.Datetime.now(),
                limit,
            ),
            # a line another worker finished since this transaction began:
            # expected, claimed again in a new transaction
            log_exceptions=False,
        )
        return self.env["bill.run.customer"].browse(
            r[0] for r in self.env.cr.fetchall()
        )

    def _process(self, batch_size=50, commit=True):
        """Bill the pending customers in chunks, each committed (with the cron's
        progress) unless ``commit`` is False, then conclude. When the cron's
        time is up, or customers are put off to a later transaction (their
        contracts held or changed by another one), the cron is triggered to go
        on, at the time the first of them is due again."""
        self.ensure_one()
        cron = self.env["ir.cron"]
        retry = set()
        stale = 0
        while True:
            try:
                with self.env.cr.savepoint():
                    customers = self._claim_pending(batch_size, skip=retry)
            except errors.SerializationFailure:
                # customers another worker finished after this transaction
                # began: claim again in a new transaction (a bounded number
                # of times; the cron goes on otherwise)
                stale += 1
                if not commit or stale > MAX_STALE_CLAIMS:
                    self._trigger_processing()
                    return
                cron._commit_progress(0)
                retry.clear()
                continue
            if not customers:
                break
            retry.update(customers._bill_batch().ids)
            self.env.flush_all()
            if commit:
                self._notify_progress()
                time_left = cron._commit_progress(
                    len(customers), remaining=self.pending_count
                )
                if time_left <= 0:
                    self._trigger_processing()
                    return
                retry.clear()
        put_off = self.customer_ids.filtered(
            lambda c: c.state == "pending" and c.retry_after
        )
        if retry or put_off:
            self._trigger_processing(
                at=min(put_off.mapped("retry_after"), default=None)
            )
            return
        self._conclude()

    def _trigger_processing(self, at=None):
        """Wake the processing crons up (at ``at``, else now): with Odoo's
        cron workers (two by default), a large run is billed by several
        workers at once."""
        for xmlid in PROCESSING_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron._trigger(at)

    def _conclude(self):
        """Done, failed or partly failed once no customer is pending. Two
        workers finishing the same run at once both get here: the one that
        cannot update the run leaves it to the other."""
        self.ensure_one()
        if self.pending_count or self.state != "running":
            return
        if not self.error_count:
            state = "done"
        elif self.error_count == self.customer_count:
            state = "failed"
        else:
            state = "partly_failed"
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM bill_run WHERE id = %s FOR NO KEY UPDATE "
                        "NOWAIT",
                        self.id,
                    ),
                    log_exceptions=False,  # the other worker has it: expected
                )
                self.state = state
                self._post_summary()
                self.env.flush_all()
        except (errors.LockNotAvailable, errors.SerializationFailure):
            self.invalidate_recordset(["state"])
            return
        self._notify_progress()

    def _notify_progress(self):
        """Tell the billing users' open run forms to reload (the run id only:
        each form reads the run with its own rights)."""
        group = self.env.ref("recurring_billing.group_billing_user")
        for run in self:
            group._bus_send(PROGRESS_NOTIFICATION, {"run_id": run.id})

    def _summary_text(self):
        self.ensure_one()
        return self.env._(
            "Bill run over: %(invoices)s invoices for %(amount)s untaxed, "
            "%(billed)s customers billed, %(carried)s carried over, "
            "%(errors)s in error.",
            invoices=self.invoice_count,
            amount=formatLang(
                self.env, self.amount_untaxed, currency_obj=self.currency_id
            ),
            billed=self.done_count,
            carried=self.carried_count,
            errors=self.error_count,
        )

    def _post_summary(self):
        """The run's result in its chatter and a notification to the user who
        started it, in their language (the company's for a run of the cron)."""
        self.ensure_one()
        user = self.user_id
        run = self.with_context(
            lang=user.lang or self.company_id.partner_id.lang or self.env.lang
        )
        run.message_post(body=run._summary_text())
        if not user:
            return
        user._bus_send(
            "simple_notification",
            {
                "type": "success" if self.state == "done" else "warning",
                "title": run.env._("Bill run %(run)s", run=self.name),
                "message": run._summary_text(),
                "sticky": self.state != "done",
            },
        )

    @api.model
    def _cron_daily(self, batch_size=50):
        """The daily bill run of each company, for everything due today."""
        today = fields.Date.context_today(self)
        contracts = self.env["recurring.contract"].search(
            self.env["recurring.invoicing"]._get_contracts_to_invoice_domain(today)
        )
        for company in contracts.company_id:
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date", "=", today),
                    ("automatic", "=", True),
                ],
                limit=1,
            ) or self.create(
                {"company_id": company.id, "date": today, "automatic": True}
            )
            run = run.with_company(company)
            run._start()
            # committed at once, so that the processing crons bill the run's
            # customers beside this worker (claims skip what another holds)
            run._trigger_processing()
            self.env["ir.cron"]._commit_progress(0)
            run._process(batch_size=batch_size)

    @api.model
    def _run_for_contracts(self, contracts):
        """Bill the customers of ``contracts`` now, each in a bill run of its
        own (what the contract's *Create invoices* button does under a
        consolidation policy): their due contracts are invoiced, posted and
        sent as the daily run would. Returns the runs that billed something."""
        today = fields.Date.context_today(self)
        due = Domain(
            self.env["recurring.invoicing"]._get_contracts_to_invoice_domain(today)
        )
        runs = self.browse()
        for (company, partner), _contracts in contracts.grouped(
            lambda c: (c.company_id, c.commercial_partner_id)
        ).items():
            if not self.env["recurring.contract"].search_count(
                due
                & Domain("company_id", "=", company.id)
                & Domain("commercial_partner_id", "=", partner.id),
                limit=1,
            ):
                continue
            run = self.with_company(company).create(
                {
                    "company_id": company.id,
                    "date": today,
                    "partner_ids": [Command.set(partner.ids)],
                    "user_id": self.env.user.id,
                }
            )
            run._start()
            run._process(commit=False)
            runs |= run
        return runs

    @api.model
    def _cron_process(self):
        """Work off every running run (started by a button, or left unfinished
        by a killed worker)."""
        for run in self.search([("state", "=", "running")]):
            run.with_company(run.company_id)._process()
