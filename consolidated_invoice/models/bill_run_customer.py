# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from psycopg2 import errors

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class BillRunCustomer(models.Model):
    """One customer of a bill run: what the preview announced, what the run
    created, or why it failed."""

    _name = "bill.run.customer"
    _description = "Bill Run Customer"
    _order = "run_id, id"

    run_id = fields.Many2one("bill.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    currency_id = fields.Many2one(related="run_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    contract_ids = fields.Many2many("recurring.contract", string="Contracts")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Invoiced"),
            ("carried_over", "Carried over"),
            ("nothing", "Nothing due"),
            ("error", "Error"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    message = fields.Text()
    split_reason = fields.Char(
        string="Split because",
        help="The invoice fields that differ between the customer's invoices.",
    )
    preview_invoice_count = fields.Integer(string="Invoices (preview)")
    preview_line_count = fields.Integer(string="Lines (preview)")
    preview_amount = fields.Monetary(string="Untaxed (preview)")
    preview_line_ids = fields.One2many(
        "bill.run.preview.line",
        "customer_id",
        string="Invoice lines (preview)",
        readonly=True,
        help="The invoice lines the run would create, as the preview prepared them.",
    )
    invoice_ids = fields.Many2many("account.move", string="Invoices", copy=False)
    invoice_count = fields.Integer(compute="_compute_invoices", store=True)
    amount_untaxed = fields.Monetary(compute="_compute_invoices", store=True)

    _customer_unique = models.Constraint(
        "UNIQUE (run_id, partner_id)", "A customer appears once in a bill run."
    )

    @api.depends("invoice_ids.amount_untaxed")
    def _compute_invoices(self):
        for customer in self:
            customer.invoice_count = len(customer.invoice_ids)
            customer.amount_untaxed = sum(customer.invoice_ids.mapped("amount_untaxed"))

    def _lock_contracts(self, contracts):
        """The contracts no other transaction is billing right now."""
        if not contracts:
            return contracts
        self.env.cr.execute(
            SQL(
                "SELECT id FROM recurring_contract WHERE id IN %s "
                "FOR UPDATE SKIP LOCKED",
                tuple(contracts.ids),
            ),
            # a serialization failure (a contract changed by a transaction
            # committed since this one began) is expected: retried later
            log_exceptions=False,
        )
        return contracts.browse(r[0] for r in self.env.cr.fetchall())

    def _due_contracts(self):
        """Per line of one run, its customer's contracts due at the run date
        that no other transaction is billing right now (locked until the next
        commit): one search and one lock for all the lines."""
        run = self.run_id
        run.ensure_one()
        by_customer = run._due_contracts_by_customer(self.partner_id)
        locked = self._lock_contracts(
            self.env["recurring.contract"].union(*by_customer.values())
        )
        return {line: by_customer[line.partner_id] & locked for line in self}

    def _bill_batch(self):
        """Bill these customers of one run in one batch (one ``create`` of all
        their invoices); if that fails, bill them one by one so that a failing
        customer is recorded alone. Returns the customers left pending because
        a concurrent transaction changed their data after this one started:
        they are retried in the next transaction."""
        if len(self) > 1:
            try:
                with self.env.cr.savepoint():
                    self._bill_together()
                return self.browse()
            except Exception:
                _logger.info("Bill run batch failed, billing customer by customer")
        retry = self.browse()
        for customer in self:
            if not customer._bill():
                retry |= customer
        return retry

    def _bill_together(self):
        run = self.run_id
        run.ensure_one()
        service = self.env["recurring.invoicing"].with_company(run.company_id)
        contracts_of = self._due_contracts()
        contracts = self.env["recurring.contract"].union(*contracts_of.values())
        invoices = service._prepare_invoices(contracts, run.date)
        posts = {self._post_invoices(contract) for contract in contracts}
        if len(posts) > 1:
            raise ValueError("Customers with different posting settings")
        moves = service._create_invoices(
            contracts, run.date, posts.pop() if posts else False, invoices=invoices
        )
        Partner = self.env["res.partner"]
        invoices_of = defaultdict(list)
        for invoice in invoices:
            partner = Partner.browse(invoice["values"]["partner_id"])
            invoices_of[partner.commercial_partner_id].append(invoice)
        moves_of = moves.grouped("commercial_partner_id")
        to_send = moves.browse()
        for customer in self:
            partner = customer.partner_id
            to_send |= customer._record_result(
                invoices_of[partner],
                moves_of.get(partner, self.env["account.move"]),
                contracts_of[customer],
            )
        self._send(to_send)

    def _post_invoices(self, contract):
        """Whether the contract's invoices are posted: its consolidation policy
        says so, or else the company's recurring invoicing setting."""
        policy = contract._consolidation_policy()
        if policy:
            return bool(policy.auto_post)
        return bool(contract.company_id.recurring_auto_post)

    def _record_result(self, invoices, moves, contracts):
        """Write what billing the customer gave; returns the invoices to send."""
        carried = [inv for inv in invoices if inv.get("carried_over")]
        if moves:
            state = "done"
        elif carried:
            state = "carried_over"
        else:
            state = "nothing"
        self.write(
            {
                "state": state,
                "invoice_ids": [Command.link(move.id) for move in moves],
                "contract_ids": [Command.link(c.id) for c in contracts],
                "message": self.env._("Below the minimum amount: carried over.")
                if carried
                else False,
                "split_reason": "; ".join(
                    sorted(
                        {r for inv in invoices for r in inv.get("split_reasons", [])}
                    )
                ),
            }
        )
        policy = contracts[:1]._consolidation_policy() if contracts else False
        if moves and policy and policy.auto_send and policy.auto_post:
            return moves.filtered(lambda move: move.state == "posted")
        return moves.browse()

    def _bill(self):
        """Invoice the customer's due contracts at the run date; a failure is
        recorded on this line (and on the contracts) and the run goes on. A
        customer billed meanwhile by a concurrent run is left to it. Returns
        False when the customer must be retried in a new transaction (its data
        changed since this one started), True otherwise."""
        self.ensure_one()
        run = self.run_id
        service = self.env["recurring.invoicing"].with_company(run.company_id)
        contracts = self.env["recurring.contract"]
        try:
            with self.env.cr.savepoint():
                contracts = self._due_contracts()[self]
                policy = contracts[:1]._consolidation_policy() if contracts else False
                post = (
                    policy.auto_post if policy else run.company_id.recurring_auto_post
                )
                invoices = service._prepare_invoices(contracts, run.date)
                moves = service._create_invoices(
                    contracts, run.date, post, invoices=invoices
                )
        except errors.UniqueViolation:
            # the period ledger: another transaction billed these periods first
            self.write(
                {
                    "state": "nothing",
                    "message": self.env._("Billed meanwhile by a concurrent run."),
                }
            )
            return True
        except (errors.SerializationFailure, errors.LockNotAvailable):
            _logger.info(
                "Bill run %s: %s changed concurrently, retried in the next transaction",
                run.name,
                self.partner_id.name,
            )
            return False
        except Exception as error:
            _logger.warning(
                "Bill run %s: %s failed: %s", run.name, self.partner_id.name, error
            )
            self.write({"state": "error", "message": str(error)})
            for contract in contracts:
                contract._record_invoicing_error(error)
            return True
        self._send(self._record_result(invoices, moves, contracts))
        return True

    def _send(self, moves):
        """Email posted invoices with Odoo's sending service, in the billing
        transaction: the documents of the whole batch are rendered at once and
        the emails queued, so they leave with the commit of their invoices or
        not at all (a killed worker's batch is billed and sent again on
        resume). A sending error is logged on the invoice, never raised."""
        if moves:
            self.env["account.move.send"]._generate_and_send_invoices(
                moves, allow_raising=False, sending_methods={"email"}
            )
