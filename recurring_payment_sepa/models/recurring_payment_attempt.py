# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.recurring_payment.tools import schedule

from ..tools import returns

_logger = logging.getLogger(__name__)


class RecurringPaymentAttempt(models.Model):
    """A debit under a SEPA mandate is an attempt too: scheduled on its debit
    date, then a line of a direct-debit payment order (*Pending* while the
    order is not uploaded: dunning leaves the invoice alone), *Paid* when the
    order is uploaded (OCA posts and reconciles the payments), *Failed* when
    the bank returns it (a soft reason is presented once more)."""

    _inherit = "recurring.payment.attempt"

    mandate_id = fields.Many2one(
        "account.banking.mandate",
        string="SEPA mandate",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    payment_line_id = fields.Many2one(
        "account.payment.line",
        string="Payment order line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    payment_order_id = fields.Many2one(
        related="payment_line_id.order_id", string="Payment order", store=True
    )
    sepa_sequence = fields.Char(
        string="Sequence type",
        readonly=True,
        help="The SEPA sequence type of the debit (FRST, RCUR, FNAL, OOFF).",
    )
    return_reason = fields.Char(
        string="Return reason code",
        readonly=True,
        help="The ISO 20022 reason code of the bank's return.",
    )

    # ------------------------------------------------------------------
    # Hooks of recurring_payment
    # ------------------------------------------------------------------

    @api.model
    def _get_due_attempts_domain(self, day):
        """The token charges only: a debit under a mandate joins a payment
        order (:meth:`_cron_sepa_collect`)."""
        return Domain.AND(
            [super()._get_due_attempts_domain(day), [("mandate_id", "=", False)]]
        )

    def _retry_days(self):
        """A SEPA direct debit is presented at most twice."""
        days = super()._retry_days()
        if self.mandate_id:
            return returns.capped_retry_days(days)
        return days

    # ------------------------------------------------------------------
    # Cron: due debits into payment orders
    # ------------------------------------------------------------------

    @api.model
    def _get_due_debits_domain(self, day):
        """Debits whose date has come: their pre-notification lead time has
        passed (the debit date is never earlier, see
        ``schedule.first_collection_date``)."""
        return [
            ("state", "=", "scheduled"),
            ("mandate_id", "!=", False),
            ("payment_line_id", "=", False),
            ("scheduled_date", "<=", day),
        ]

    @api.model
    def _cron_sepa_collect(self, batch_size=1000):
        """Add the due debits to the draft direct-debit payment order of their
        company, in committed batches."""
        today = fields.Date.context_today(self)
        attempts = self.search(
            self._get_due_debits_domain(today), order="company_id, scheduled_date, id"
        )
        cron = self.env["ir.cron"]
        remaining = len(attempts)
        for company, company_attempts in attempts.grouped("company_id").items():
            for start in range(0, len(company_attempts), batch_size):
                chunk = company_attempts[start : start + batch_size]
                chunk.sudo().with_company(company)._sepa_add_to_order()
                remaining -= len(chunk)
                if cron._commit_progress(len(chunk), remaining=remaining) <= 0:
                    return

    def _sepa_add_to_order(self):
        """Put these debits (of one company) on the company's draft SEPA
        direct-debit payment order, created when there is none; the order
        executes each on its invoice's due date (or the day it is confirmed,
        if later). Returns the orders."""
        company = self.company_id
        company.ensure_one()
        mode = company._recurring_payment_sepa_mode()
        if not mode:
            _logger.warning(
                "No SEPA direct debit payment mode in %s: %s debit(s) wait",
                company.name,
                len(self),
            )
            return self.env["account.payment.order"]
        to_add = self._sepa_check_debits()
        if not to_add:
            return self.env["account.payment.order"]
        Order = self.env["account.payment.order"]
        order = Order.search(
            to_add[:1].move_id.get_account_payment_domain(mode), limit=1
        ) or Order.create({"payment_mode_id": mode.id, "date_prefered": "due"})
        values, owners = [], []
        for attempt in to_add:
            for line in attempt._sepa_receivable_lines():
                values.append(line._prepare_payment_line_vals(order))
                owners.append(attempt)
        lines = self.env["account.payment.line"].create(values)
        for attempt, line in zip(owners, lines, strict=True):
            if not attempt.payment_line_id:
                attempt._sepa_mark_pending(line)
        to_add.move_id.write({"collection_state": "pending"})
        return order

    def _sepa_check_debits(self):
        """The debits that can join an order; the others are closed (invoice
        paid or cancelled, mandate no longer valid) or, already on a payment
        order by hand, linked to it."""
        to_add = self.browse()
        for attempt in self - self._cancel_closed():
            move = attempt.move_id
            if attempt.mandate_id.state != "valid":
                attempt._record_decline(
                    schedule.HARD,
                    self.env._(
                        "The mandate %(umr)s is no longer valid: the customer has "
                        "to sign a new one or choose another payment method.",
                        umr=attempt.mandate_id.unique_mandate_reference,
                    ),
                )
                continue
            lines = attempt._sepa_receivable_lines()
            active = lines.payment_line_ids.filtered(
                lambda line: line.state in ("draft", "open", "generated")
            )
            if active:
                attempt._sepa_mark_pending(active[:1])
                move.collection_state = "pending"
            elif lines:
                to_add |= attempt
        return to_add

    def _sepa_receivable_lines(self):
        self.ensure_one()
        return self.move_id.line_ids.filtered(
            lambda line: not line.reconciled
            and line.account_id.account_type == "asset_receivable"
        )

    def _sepa_mark_pending(self, payment_line):
        self.ensure_one()
        mandate = self.mandate_id
        self.write(
            {
                "payment_line_id": payment_line.id,
                "state": "pending",
                "amount": payment_line.amount_currency,
                "sepa_sequence": returns.debit_sequence(
                    mandate.type, mandate.recurrent_sequence_type
                ),
            }
        )

    # ------------------------------------------------------------------
    # Outcome: the order uploaded or cancelled, a debit returned
    # ------------------------------------------------------------------

    def _sepa_orders_uploaded(self):
        """The orders of these pending debits were sent to the bank: OCA
        posted and reconciled their payments."""
        for attempt in self.filtered(lambda attempt: attempt.state == "pending"):
            attempt.state = "done"
            move = attempt.move_id
            move.collection_state = (
                "paid" if move.currency_id.is_zero(move.amount_residual) else "pending"
            )

    def _sepa_orders_cancelled(self):
        """The orders of these debits were cancelled: the collection stops
        (the invoice is an ordinary open invoice)."""
        for attempt in self.filtered(
            lambda attempt: attempt.state in ("pending", "done")
        ):
            attempt.write(
                {
                    "state": "cancelled",
                    "reason": self.env._(
                        "The direct-debit payment order %(order)s was cancelled.",
                        order=attempt.payment_order_id.name,
                    ),
                }
            )
            attempt.move_id.collection_state = "cancelled"

    def _sepa_record_return(self, code, note=""):
        """The bank returned these debits (paid by an uploaded order) with the
        reason ``code``: the payment is reversed (the invoice is open again)
        and the decline recorded, hard or soft by the reason; a soft one is
        presented once more, then the invoice goes to dunning."""
        kind = returns.return_kind(code)
        code = code.strip().upper()
        payments = self.payment_line_id.payment_ids.filtered(
            lambda payment: payment.state not in ("draft", "canceled")
        )
        for payment in payments:
            payment._sepa_reverse_returned(code)
        for attempt in self:
            reason = self.env._(
                "Direct debit returned by the bank: %(reason)s",
                reason=attempt._sepa_return_label(code),
            )
            if note:
                reason = f"{reason}\n{note}"
            if attempt.sepa_sequence == "FRST" and attempt.mandate_id.state == "valid":
                # a first debit that came back: the next one is a first again
                attempt.mandate_id.recurrent_sequence_type = "first"
            attempt.return_reason = code
            attempt._record_decline(kind, reason)

    @api.model
    def _sepa_return_label(self, code):
        selection = self.env["recurring.payment.sepa.return"]._fields["reason_code"]
        return dict(selection._description_selection(self.env)).get(code, code)
