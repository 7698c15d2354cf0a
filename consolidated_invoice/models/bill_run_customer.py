# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import errors

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# how long billing waits for a contract another transaction holds (a user
# saving it) before leaving the customer to a retry, in milliseconds
CONTRACT_LOCK_TIMEOUT_MS = 5000

# seconds to wait before each retry of a customer whose contracts changed or
# stayed locked meanwhile; after the last, the customer is in error
RETRY_DELAYS = (0, 5, 30, 120, 600)


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
    retry_count = fields.Integer(
        readonly=True,
        help="Times billing was put off because another transaction was "
        "changing the customer's contracts.",
    )
    retry_after = fields.Datetime(readonly=True, copy=False)
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
        """Lock ``contracts`` until the next commit, waiting a short while for
        those another transaction holds (a user saving one): a customer is
        never billed without one of its due contracts. Raises LockNotAvailable
        when the wait is over, SerializationFailure when a contract changed
        since this transaction began: the customer is then retried."""
        if not contracts:
            return contracts
        cr = self.env.cr
        cr.execute(SQL("SHOW lock_timeout"))
        previous = cr.fetchone()[0]
        cr.execute(
            SQL(
                "SELECT set_config('lock_timeout', %s, true)",
                str(CONTRACT_LOCK_TIMEOUT_MS),
            )
        )
        cr.execute(
            SQL(
                "SELECT id FROM recurring_contract WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                tuple(contracts.ids),
            ),
            # the lock wait running out or a concurrent change are expected:
            # the customer is retried
            log_exceptions=False,
        )
        cr.execute(SQL("SELECT set_config('lock_timeout', %s, true)", previous))
        return contracts

    def _due_contracts(self):
        """Per line of one run, its customer's contracts due at the run date,
        locked until the next commit: one search and one lock for all."""
        run = self.run_id
        run.ensure_one()
        by_customer = run._due_contracts_by_customer(self.partner_id)
        self._lock_contracts(
            self.env["recurring.contract"].union(*by_customer.values())
        )
        return {line: by_customer[line.partner_id] for line in self}

    def _bill_batch(self):
        """Bill these customers of one run in one batch (one ``create`` of all
        their invoices); if that fails, bill them one by one so that a failing
        customer is recorded alone. Returns the customers left pending because
        a concurrent transaction held or changed their contracts: they are
        retried in a later transaction."""
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
        contracts_of = self._due_contracts()
        invoices = self._create_invoices(
            self.env["recurring.contract"].union(*contracts_of.values())
        )
        Partner = self.env["res.partner"]
        invoices_of = defaultdict(list)
        for invoice in invoices:
            partner = Partner.browse(invoice["values"]["partner_id"])
            invoices_of[partner.commercial_partner_id].append(invoice)
        for customer in self:
            customer._record_result(
                invoices_of[customer.partner_id], contracts_of[customer]
            )
        self._send(invoices)

    def _create_invoices(self, contracts):
        """Prepare and create the invoices of ``contracts`` at the run date;
        posted as their terms say. Returns the prepared invoices (each created
        one with its ``move``)."""
        run = self.run_id
        service = self.env["recurring.invoicing"].with_company(run.company_id)
        invoices = service._prepare_invoices(contracts, run.date)
        service._create_invoices(contracts, run.date, invoices=invoices)
        return invoices

    def _record_result(self, invoices, contracts):
        """Write what billing the customer gave."""
        moves = self.env["account.move"].union(
            *(invoice["move"] for invoice in invoices if "move" in invoice)
        )
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
                "retry_after": False,
            }
        )

    def _bill(self):
        """Invoice the customer's due contracts at the run date; a failure is
        recorded on this line (and on the contracts) and the run goes on. A
        customer billed meanwhile by a concurrent run is left to it. Returns
        False when the customer must be retried in a later transaction (its
        contracts were held or changed by another one), True otherwise."""
        self.ensure_one()
        run = self.run_id
        contracts = self.env["recurring.contract"]
        try:
            with self.env.cr.savepoint():
                contracts = self._due_contracts()[self]
                invoices = self._create_invoices(contracts)
        except errors.UniqueViolation:
            # the period ledger: another transaction billed these periods first
            self.write(
                {
                    "state": "nothing",
                    "message": self.env._("Billed meanwhile by a concurrent run."),
                }
            )
            return True
        except (errors.SerializationFailure, errors.LockNotAvailable) as error:
            return self._put_off(error)
        except Exception as error:
            _logger.warning(
                "Bill run %s: %s failed: %s", run.name, self.partner_id.name, error
            )
            self.write({"state": "error", "message": str(error)})
            for contract in contracts:
                contract._record_invoicing_error(error)
            return True
        self._record_result(invoices, contracts)
        self._send(invoices)
        return True

    def _put_off(self, error):
        """Another transaction held or changed the customer's contracts: retry
        it later, after the next delay of RETRY_DELAYS, or record it as failed
        once they are used up. Returns False when it is to be retried."""
        self.ensure_one()
        count = self.retry_count + 1
        if count > len(RETRY_DELAYS):
            _logger.info(
                "Bill run %s: %s put off %s times, failed",
                self.run_id.name,
                self.partner_id.name,
                len(RETRY_DELAYS),
            )
            self.write(
                {
                    "state": "error",
                    "retry_count": count,
                    "retry_after": False,
                    "message": self.env._(
                        "Not billed: its contracts were being changed by another "
                        "user or process at each of %(count)s attempts. Resume the "
                        "run to try again.",
                        count=count,
                    ),
                }
            )
            return True
        _logger.info(
            "Bill run %s: %s held or changed concurrently (%s), retry %s",
            self.run_id.name,
            self.partner_id.name,
            type(error).__name__,
            count,
        )
        self.write(
            {
                "retry_count": count,
                "retry_after": fields.Datetime.now()
                + timedelta(seconds=RETRY_DELAYS[count - 1]),
            }
        )
        return False

    def _send(self, invoices):
        """Email the posted invoices whose terms say so, with Odoo's sending
        service, in the billing transaction: the documents of the whole batch
        are rendered at once and the emails queued, so they leave with the
        commit of their invoices or not at all (a killed worker's batch is
        billed and sent again on resume). A sending error is logged on the
        invoice, never raised."""
        moves = self.env["account.move"].union(
            *(
                invoice["move"]
                for invoice in invoices
                if invoice.get("send") and "move" in invoice
            )
        )
        moves = moves.filtered(lambda move: move.state == "posted")
        if moves:
            self.env["account.move.send"]._generate_and_send_invoices(
                moves, allow_raising=False, sending_methods={"email"}
            )
