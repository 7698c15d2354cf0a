# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.fields import Command

from ..tools import schedule

_logger = logging.getLogger(__name__)

FINAL_TX_STATES = ("done", "cancel", "error")


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
                chunk = company_attempts[start : start + batch_size]
                chunk.sudo().with_company(company)._collect()
                remaining -= len(chunk)
                if cron._commit_progress(len(chunk), remaining=remaining) <= 0:
                    return

    def _collect(self):
        """Charge these attempts.

        1. Each attempt gets its transaction, and the batch is committed:
           from then on, no run picks the attempt again.
        2. Each transaction is charged with its token, and its outcome recorded
           and committed; an error while recording leaves the attempt in
           *Charge sent* with its transaction, never charged twice.
        """
        cron = self.env["ir.cron"]
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
        cron._commit_progress(0)
        for attempt in to_charge:
            try:
                with self.env.cr.savepoint():
                    attempt._charge()
            except Exception:
                _logger.exception(
                    "The charge %s of %s was sent but its outcome could not be "
                    "recorded; the attempt waits for the provider",
                    attempt.transaction_id.reference,
                    attempt.move_id.name,
                )
            cron._commit_progress(0)

    def _prepare_charge(self):
        """Give the attempt its transaction; False when nothing is to charge."""
        self.ensure_one()
        move = self.move_id
        if self.state != "scheduled" or self.transaction_id:
            return False
        if (
            move.state != "posted"
            or move.payment_state in ("paid", "in_payment", "reversed")
            or move.currency_id.is_zero(move.amount_residual)
        ):
            self.write(
                {
                    "state": "cancelled",
                    "reason": self.env._("The invoice is no longer open."),
                }
            )
            move.collection_state = (
                "paid" if move.payment_state in ("paid", "in_payment") else "cancelled"
            )
            return False
        if not self.token_id.active:
            self._record_decline(
                schedule.HARD,
                self.env._(
                    "The payment method is no longer available: the customer has "
                    "to choose another one."
                ),
            )
            return False
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(self._prepare_transaction_values())
        )
        self.write(
            {
                "transaction_id": transaction.id,
                "state": "charging",
                "amount": transaction.amount,
            }
        )
        return True

    def _prepare_transaction_values(self):
        self.ensure_one()
        move = self.move_id
        token = self.token_id
        Transaction = self.env["payment.transaction"].sudo()
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "reference": Transaction._compute_reference(
                token.provider_id.code, prefix=f"{move.name}-{self.attempt_number}"
            ),
            "amount": move.amount_residual,
            "currency_id": move.currency_id.id,
            "partner_id": move.partner_id.id,
            "token_id": token.id,
            "operation": "offline",
            "invoice_ids": [Command.set(move.ids)],
        }

    def _charge(self):
        """Send the charge, then record what the provider answered."""
        self.ensure_one()
        transaction = self.transaction_id.sudo()
        transaction._charge_with_token()
        if transaction.state in FINAL_TX_STATES:
            # account_payment reconciles a done transaction with the invoice;
            # the override of _post_process records the outcome here
            transaction._post_process()
        else:
            self._sync_from_transaction()

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------

    def _sync_from_transaction(self):
        """Record the state of the attempts' transactions."""
        for attempt in self:
            if attempt.state not in ("charging", "pending"):
                continue
            transaction = attempt.transaction_id.sudo()
            if transaction.state in ("pending", "authorized"):
                attempt.state = "pending"
                attempt.move_id.collection_state = "pending"
            elif transaction.state == "done":
                attempt.state = "done"
                attempt.move_id.collection_state = "paid"
            elif transaction.state in ("cancel", "error"):
                message = transaction.state_message or dict(
                    transaction._fields["state"]._description_selection(self.env)
                ).get(transaction.state)
                attempt._record_decline(
                    schedule.decline_kind(transaction.state, transaction.state_message),
                    message,
                )

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
