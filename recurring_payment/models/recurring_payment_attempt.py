# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import psycopg2

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import format_amount

from ..tools import references, schedule
from .payment_transaction import BATCH_CONTEXT_KEY

_logger = logging.getLogger(__name__)

#: what a transaction's state means for its attempt
OUTCOMES = {
    "pending": "pending",
    "authorized": "pending",
    "done": "done",
    "cancel": "declined",
    "error": "declined",
}


class RecurringPaymentAttempt(models.Model):
    """One automatic payment attempt of a posted invoice.

    A row is unique per invoice and attempt number, and gets its
    ``payment.transaction`` (committed) before the charge is sent: a worker
    that crashes after the charge leaves an attempt with its transaction,
    which is never charged again; the provider's notification (or a clerk)
    settles it. A retry is a new attempt with a new transaction.
    """

    _name = "recurring.payment.attempt"
    _description = "Automatic payment attempt"
    _order = "move_id desc, attempt_number desc"
    _check_company_auto = True
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    attempt_number = fields.Integer(string="Attempt", required=True, readonly=True)
    company_id = fields.Many2one(
        related="move_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(readonly=True, help="The amount charged.")
    token_id = fields.Many2one(
        "payment.token",
        string="Payment method",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    scheduled_date = fields.Date(string="Scheduled on", required=True, index=True)
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("charging", "Charge sent"),
            ("pending", "Pending"),
            ("done", "Paid"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="scheduled",
        required=True,
        readonly=True,
        index=True,
        help="Charge sent: the transaction exists and the charge was requested; "
        "if it stays so, the outcome was not recorded (check the transaction "
        "with the provider). It is never charged again.",
    )
    transaction_id = fields.Many2one(
        "payment.transaction", readonly=True, index="btree_not_null"
    )
    transaction_state = fields.Selection(related="transaction_id.state")
    decline_kind = fields.Selection(
        [("soft", "Soft (retried)"), ("hard", "Hard (not retried)")],
        string="Decline",
        readonly=True,
    )
    reason = fields.Text(readonly=True)

    _move_attempt_unique = models.Constraint(
        "UNIQUE(move_id, attempt_number)",
        "An invoice has one payment attempt per attempt number.",
    )
    _transaction_unique = models.UniqueIndex(
        "(transaction_id) WHERE transaction_id IS NOT NULL",
        "A payment transaction belongs to one attempt.",
    )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _get_due_attempts_domain(self, day):
        return [
            ("state", "=", "scheduled"),
            ("scheduled_date", "<=", day),
            ("transaction_id", "=", False),
        ]

    @api.model
    def _cron_collect(self, batch_size=50):
        """Charge the attempts due today, company by company, in committed
        batches."""
        today = fields.Date.context_today(self)
        attempts = self.search(
            self._get_due_attempts_domain(today), order="company_id, scheduled_date, id"
        )
        cron = self.env["ir.cron"]
        remaining = len(attempts)
        for company, company_attempts in attempts.grouped("company_id").items():
            for start in range(0, len(company_attempts), batch_size):
                # a batch reads its own rows, not the company's whole list
                chunk = company_attempts[start : start + batch_size].with_prefetch()
                chunk.sudo().with_company(company)._collect()
                remaining -= len(chunk)
                if cron._commit_progress(len(chunk), remaining=remaining) <= 0:
                    return

    def _collect(self):
        """Charge these attempts (a batch of one company).

        1. The attempts get their transactions, created together, and the
           batch is committed: from then on, no run picks them again, and a
           crash after a charge never charges twice.
        2. Each transaction is charged with its token (one provider request
           each); a charge that fails unexpectedly leaves its attempt in
           *Charge sent* with its transaction, never charged again. The
           batch's outcomes are committed together.
        3. The charged transactions are post-processed together: the done
           ones get their payments created, posted and reconciled in one go
           (as account_payment does one by one), the attempts and invoices
           are updated in bulk, and each invoice gets one line in its chatter.
        """
        cron = self.env["ir.cron"]
        batch = self.with_context(**{BATCH_CONTEXT_KEY: True})
        to_charge = batch._collect_prepare()
        cron._commit_progress(0)
        charged = to_charge._collect_charge()
        cron._commit_progress(0)
        charged._collect_post_process()

    def _collect_prepare(self):
        """Give the due attempts their transactions (one ``create``); returns
        the attempts to charge. Closed invoices are cancelled, archived
        payment methods declined."""
        todo = self.filtered(
            lambda attempt: attempt.state == "scheduled" and not attempt.transaction_id
        )
        closed = todo._cancel_closed()
        unusable = (todo - closed).filtered(lambda attempt: not attempt.token_id.active)
        for attempt in unusable:
            attempt._record_decline(
                schedule.HARD,
                self.env._(
                    "The payment method is no longer available: the customer has "
                    "to choose another one."
                ),
            )
        ready = todo - closed - unusable
        if not ready:
            return ready
        try:
            with self.env.cr.savepoint():
                transactions = (
                    self.env["payment.transaction"]
                    .sudo()
                    .create(ready._prepare_transaction_values_list())
                )
                for attempt, transaction in zip(ready, transactions, strict=True):
                    attempt._mark_charging(transaction)
        except Exception:
            _logger.warning(
                "Could not create the transactions of a collection batch together; "
                "trying one by one",
                exc_info=True,
            )
            return ready._collect_prepare_one_by_one()
        return ready

    def _cancel_closed(self):
        """Cancel the attempts whose invoice has nothing left to collect (no
        longer posted, paid or reversed meanwhile); returns them."""
        closed = self.filtered(lambda attempt: attempt.move_id._collection_is_closed())
        if closed:
            closed.write(
                {
                    "state": "cancelled",
                    "reason": self.env._("The invoice is no longer open."),
                }
            )
            moves = closed.move_id
            paid = moves.filtered(
                lambda move: move.payment_state in ("paid", "in_payment")
            )
            paid.collection_state = "paid"
            (moves - paid).collection_state = "cancelled"
        return closed

    def _collect_prepare_one_by_one(self):
        """Each attempt its transaction in its own savepoint: one that cannot
        be created is a soft decline, the others are charged."""
        to_charge = self.browse()
        for attempt in self:
            try:
                with self.env.cr.savepoint():
                    if attempt._prepare_charge():
                        to_charge |= attempt
            except Exception as error:
                _logger.warning(
                    "Could not prepare the charge of %s: %s",
                    attempt.move_id.name,
                    error,
                    exc_info=True,
                )
                attempt._record_decline(schedule.SOFT, str(error))
        return to_charge

    def _prepare_charge(self):
        """Give the attempt its transaction; False when nothing is to charge."""
        self.ensure_one()
        if self.state != "scheduled" or self.transaction_id:
            return False
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(self._prepare_transaction_values_list())
        )
        self._mark_charging(transaction)
        return True

    def _mark_charging(self, transaction):
        """The attempt has its transaction: no run charges it again."""
        self.ensure_one()
        self.write(
            {
                "transaction_id": transaction.id,
                "state": "charging",
                "amount": transaction.amount,
            }
        )

    def _prepare_transaction_values_list(self):
        """The transactions' values, their references computed together (Odoo's
        rule, ``<invoice>-<attempt number>``: one query for the batch)."""
        Transaction = self.env["payment.transaction"].sudo()
        prefixes = [
            references.ascii_prefix(f"{attempt.move_id.name}-{attempt.attempt_number}")
            for attempt in self
        ]
        taken = {
            tx["reference"]
            for tx in Transaction.search_fetch(
                [("reference", "in", prefixes)], ["reference"]
            )
        }
        for prefix in set(prefixes) & taken:
            taken.update(
                tx["reference"]
                for tx in Transaction.search_fetch(
                    [("reference", "=like", f"{prefix}{references.SEPARATOR}%")],
                    ["reference"],
                )
            )
        # the customers' details the transactions copy, read for the batch
        self.move_id.partner_id.fetch(
            ["name", "parent_id", "lang", "email", "street", "street2", "zip"]
            + ["city", "state_id", "country_id", "phone"]
        )
        values_list = []
        for attempt, reference in zip(
            self, references.assign_references(prefixes, taken), strict=True
        ):
            move = attempt.move_id
            token = attempt.token_id
            values_list.append(
                {
                    "provider_id": token.provider_id.id,
                    "payment_method_id": token.payment_method_id.id,
                    "reference": reference,
                    "amount": move.amount_residual,
                    "currency_id": move.currency_id.id,
                    "partner_id": move.partner_id.id,
                    "token_id": token.id,
                    "operation": "offline",
                    "invoice_ids": [Command.set(move.ids)],
                }
            )
        return values_list

    def _collect_charge(self):
        """Send each attempt's charge; returns the attempts whose charge went
        through without an unexpected error (whatever the provider said).

        No savepoint per charge: the provider's answer is recorded by plain
        writes, flushed with the batch. A Python error in one charge is logged
        and its attempt left in *Charge sent*; a database error loses the
        database transaction, so the batch stops there (its attempts were
        committed in *Charge sent* with their transactions: never charged
        again, settled by the provider's notification)."""
        charged = self.browse()
        for attempt in self:
            transaction = attempt.transaction_id.sudo()
            try:
                transaction._charge_with_token()
            except psycopg2.Error:
                raise
            except Exception:
                _logger.exception(
                    "The charge %s of %s was sent but its outcome could not be "
                    "recorded; the attempt waits for the provider",
                    transaction.reference,
                    attempt.move_id.name,
                )
                continue
            charged |= attempt
        return charged

    def _collect_post_process(self):
        """Post-process the charged transactions together (payments of the
        done ones, outcome on the attempts and invoices); a transaction still
        in draft waits for the provider. Should that fail, each transaction is
        post-processed alone the way Odoo does (its own savepoint); one that
        fails again is left to Odoo's post-processing cron."""
        if not self:
            return
        # no mail tracking in the batch (the payments' creation and states,
        # the invoices' payment status): the invoice gets one line instead;
        # flushed here so that the recomputations happen without it too
        quiet = self.with_context(tracking_disable=True)
        transactions = quiet.transaction_id.sudo().filtered(
            lambda tx: tx.state != "draft"
        )
        try:
            with self.env.cr.savepoint():
                transactions._post_process()
                quiet.env.flush_all()
            return
        except Exception:
            _logger.warning(
                "Could not post-process the charges of a collection batch "
                "together; one by one",
                exc_info=True,
            )
        for transaction in transactions.with_context(**{BATCH_CONTEXT_KEY: False}):
            try:
                with self.env.cr.savepoint():
                    transaction._post_process()
            except Exception:
                _logger.exception(
                    "Could not post-process the charge %s; Odoo's post-processing "
                    "will try again",
                    transaction.reference,
                )

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------

    def _sync_from_transaction(self):
        """Record the state of the attempts' transactions, in bulk; in a
        collection batch, each invoice gets one line in its chatter."""
        attempts = self.filtered(
            lambda attempt: attempt.state in ("charging", "pending")
        )
        by_outcome = attempts.grouped(
            lambda attempt: OUTCOMES.get(attempt.transaction_id.sudo().state)
        )
        pending = by_outcome.get("pending", self.browse())
        pending.filtered(lambda attempt: attempt.state != "pending").state = "pending"
        pending.move_id.filtered(
            lambda move: move.collection_state != "pending"
        ).collection_state = "pending"
        done = by_outcome.get("done", self.browse())
        done.state = "done"
        done.move_id.collection_state = "paid"
        for attempt in by_outcome.get("declined", self.browse()):
            transaction = attempt.transaction_id.sudo()
            message = transaction.state_message or dict(
                transaction._fields["state"]._description_selection(self.env)
            ).get(transaction.state)
            attempt._record_decline(
                schedule.decline_kind(transaction.state, transaction.state_message),
                message,
            )
        if self.env.context.get(BATCH_CONTEXT_KEY):
            (pending | done)._collection_log()

    def _collection_log(self):
        """One line per invoice about its charge (the transaction's own
        messages are left out in a batch), written together."""
        bodies = {}
        for attempt in self:
            transaction = attempt.transaction_id.sudo()
            currency = transaction.currency_id
            amount = format_amount(self.env, transaction.amount, currency)
            if attempt.state == "done":
                bodies[attempt.move_id.id] = self.env._(
                    "Paid automatically: %(amount)s charged to %(method)s "
                    "(transaction %(transaction)s, payment %(payment)s).",
                    amount=amount,
                    method=attempt.token_id.display_name,
                    transaction=transaction.reference,
                    payment=transaction.payment_id.name or "",
                )
            else:
                bodies[attempt.move_id.id] = self.env._(
                    "Charge of %(amount)s sent to %(method)s (transaction "
                    "%(transaction)s): pending with the payment provider.",
                    amount=amount,
                    method=attempt.token_id.display_name,
                    transaction=transaction.reference,
                )
        if bodies:
            self.move_id.sudo()._message_log_batch(bodies)

    def _retry_days(self):
        """The retry schedule of this attempt, in days after the first one
        (hook: a direct debit by mandate caps it at two presentations)."""
        self.ensure_one()
        return self.move_id.company_id._recurring_payment_retry_days()

    def _record_decline(self, kind, reason):
        """A failed attempt: the next one per the schedule (soft decline), or
        the hand-over to dunning; the customer is told either way."""
        self.ensure_one()
        move = self.move_id
        self.write({"state": "failed", "decline_kind": kind, "reason": reason})
        next_day = None
        if kind == schedule.SOFT:
            retry_days = self._retry_days()
            first = move.payment_attempt_ids.filtered(
                lambda attempt: attempt.attempt_number == 1
            )
            next_day = schedule.next_attempt_date(
                first.scheduled_date or self.scheduled_date,
                fields.Date.context_today(self),
                self.attempt_number,
                retry_days,
            )
        if next_day and not move.currency_id.is_zero(move.amount_residual):
            self.sudo().create(
                move._collection_attempt_values(
                    next_day, self.attempt_number + 1, self.token_id
                )
            )
            move.collection_state = "scheduled"
        else:
            move.collection_state = "failed"
        move._collection_notify_failure()
