# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

# runs with at most this many customers are billed at once from the button
SYNCHRONOUS_CUSTOMERS = 20


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
    customer_count = fields.Integer(compute="_compute_counts", store=True)
    pending_count = fields.Integer(compute="_compute_counts", store=True)
    done_count = fields.Integer(compute="_compute_counts", store=True)
    error_count = fields.Integer(compute="_compute_counts", store=True)
    carried_count = fields.Integer(compute="_compute_counts", store=True)
    invoice_count = fields.Integer(compute="_compute_counts", store=True)
    amount_untaxed = fields.Monetary(compute="_compute_counts", store=True)
    progress = fields.Float(compute="_compute_counts", store=True)

    @api.depends(
        "customer_ids.state",
        "customer_ids.invoice_count",
        "customer_ids.amount_untaxed",
    )
    def _compute_counts(self):
        for run in self:
            customers = run.customer_ids
            states = customers.mapped("state")
            run.customer_count = len(customers)
            run.pending_count = states.count("pending")
            run.done_count = states.count("done")
            run.error_count = states.count("error")
            run.carried_count = states.count("carried_over")
            run.invoice_count = sum(customers.mapped("invoice_count"))
            run.amount_untaxed = sum(customers.mapped("amount_untaxed"))
            finished = len(customers) - run.pending_count
            run.progress = 100.0 * finished / len(customers) if customers else 0.0

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
        for run in self:
            run._start()
            if run.pending_count <= SYNCHRONOUS_CUSTOMERS:
                run._process(commit=False)
            else:
                background = True
        if background:
            self.env.ref("consolidated_invoice.ir_cron_bill_run_process")._trigger()
        return True

    def action_resume(self):
        """Go on with the customers still pending (after a crash, a kill)."""
        self.filtered(
            lambda r: r.state in ("failed", "partly_failed", "running")
        ).write({"state": "running"})
        self.customer_ids.filtered(lambda c: c.state == "error").write(
            {"state": "pending", "message": False}
        )
        self.env.ref("consolidated_invoice.ir_cron_bill_run_process")._trigger()
        return True

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

    def _due_contracts_by_customer(self):
        """Contracts with something due at the run date, by customer."""
        self.ensure_one()
        domain = [
            *self.env["recurring.invoicing"]._get_contracts_to_invoice_domain(
                self.date
            ),
            ("company_id", "=", self.company_id.id),
        ]
        if self.partner_ids:
            domain.append(
                (
                    "commercial_partner_id",
                    "in",
                    self.partner_ids.commercial_partner_id.ids,
                )
            )
        contracts = self.env["recurring.contract"].search(domain, order="id")
        by_customer = defaultdict(lambda: self.env["recurring.contract"])
        for contract in contracts:
            by_customer[contract.commercial_partner_id] |= contract
        return by_customer

    def _preview_line_values(self, partner, contracts, invoices):
        created = [inv for inv in invoices if not inv.get("carried_over")]
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
            "preview_amount": sum(inv["untaxed"] for inv in created),
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

    def _claim_pending(self, limit):
        """Pending customer lines nobody else is working on, locked until the
        next commit."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM bill_run_customer WHERE run_id = %s "
                "AND state = 'pending' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                self.id,
                limit,
            )
        )
        return self.env["bill.run.customer"].browse(
            r[0] for r in self.env.cr.fetchall()
        )

    def _process(self, batch_size=20, commit=True):
        """Bill the pending customers in chunks, each committed (with the cron's
        progress) unless ``commit`` is False, then conclude."""
        self.ensure_one()
        cron = self.env["ir.cron"]
        while True:
            customers = self._claim_pending(batch_size)
            if not customers:
                break
            customers._bill_batch()
            self.env.flush_all()
            if commit:
                cron._commit_progress(len(customers), remaining=self.pending_count)
        self._conclude()

    def _conclude(self):
        self.ensure_one()
        if self.pending_count:
            return
        if not self.error_count:
            self.state = "done"
        elif self.error_count == self.customer_count:
            self.state = "failed"
        else:
            self.state = "partly_failed"

    @api.model
    def _cron_process(self):
        """Work off every running run (started by a button, or left unfinished
        by a killed worker)."""
        for run in self.search([("state", "=", "running")]):
            run.with_company(run.company_id)._process()
