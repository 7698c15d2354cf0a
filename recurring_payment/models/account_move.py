# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from ..tools import schedule
from .payment_transaction import BATCH_CONTEXT_KEY

#: collection states during which the invoice is being collected: dunning
#: leaves it alone (a charge waits for its date, its retry, or its provider)
COLLECTING_STATES = ("scheduled", "pending")

#: attempts that are collecting or have collected: posting again (after a
#: reset to draft) starts no other collection
ACTIVE_ATTEMPT_STATES = ("scheduled", "charging", "pending", "done")

#: where a collection batch keeps the number formats of the entries while
#: account checks their sequence for gaps (one call)
SEQUENCE_FORMAT_MEMO = "recurring_payment.sequence_formats"

#: payment method codes that are direct debits: the customer is told amount
#: and date ``recurring_payment_notice_days`` before the debit
DIRECT_DEBIT_METHOD_CODES = (
    "sepa_direct_debit",
    "bacs_direct_debit",
    "becs_direct_debit",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_token_id = fields.Many2one(
        "payment.token",
        string="Automatic payment method",
        copy=False,
        check_company=True,
        index="btree_not_null",
        domain="[('partner_id', 'child_of', commercial_partner_id), "
        "('company_id', '=', company_id)]",
        help="Once the invoice is posted, it is charged with this saved payment "
        "method.",
    )
    collection_state = fields.Selection(
        [
            ("scheduled", "Charge scheduled"),
            ("pending", "Charge pending"),
            ("paid", "Collected"),
            ("failed", "Collection failed"),
            ("cancelled", "Collection stopped"),
        ],
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Charge scheduled: the next attempt waits for its date. Charge "
        "pending: the provider has not settled it yet. Collection failed: hard "
        "decline or retries exhausted; the invoice is an ordinary overdue invoice.",
    )
    collection_date = fields.Date(
        string="Debit date",
        copy=False,
        readonly=True,
        help="The day of the first automatic payment attempt, stated on the invoice.",
    )
    payment_attempt_ids = fields.One2many(
        "recurring.payment.attempt", "move_id", string="Payment attempts"
    )
    collection_next_date = fields.Date(
        string="Next payment attempt", compute="_compute_collection_summary"
    )
    collection_last_reason = fields.Text(
        string="Last decline reason", compute="_compute_collection_summary"
    )

    @api.depends(
        "payment_attempt_ids.state",
        "payment_attempt_ids.scheduled_date",
        "payment_attempt_ids.reason",
    )
    def _compute_collection_summary(self):
        for move in self:
            attempts = move.payment_attempt_ids.sorted("attempt_number")
            waiting = attempts.filtered(lambda attempt: attempt.state == "scheduled")
            failed = attempts.filtered(lambda attempt: attempt.state == "failed")
            move.collection_next_date = waiting[-1:].scheduled_date
            move.collection_last_reason = failed[-1:].reason

    # ------------------------------------------------------------------
    # Posting starts the collection
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.payment_token_id
            and move.move_type == "out_invoice"
            and not move.payment_attempt_ids.filtered(
                lambda attempt: attempt.state in ACTIVE_ATTEMPT_STATES
            )
        )._collection_start()
        return posted

    def _collection_is_debit(self):
        self.ensure_one()
        return self.payment_token_id.payment_method_code in DIRECT_DEBIT_METHOD_CODES

    def _collection_first_date(self):
        """The day the first attempt is due: at once for a card, after the
        pre-notification lead time and the due date for a direct debit."""
        self.ensure_one()
        return schedule.first_collection_date(
            fields.Date.context_today(self),
            due_date=self.invoice_date_due,
            notice_days=self.company_id.recurring_payment_notice_days,
            debit=self._collection_is_debit(),
        )

    def _collection_start(self):
        """Schedule the first attempt of each invoice (one row per invoice
        and attempt number; the database refuses a second one); an invoice
        reset to draft and posted again gets the next number."""
        values = []
        by_day = defaultdict(lambda: self.browse())
        for move in self:
            if move.currency_id.is_zero(move.amount_residual):
                continue
            day = move._collection_first_date()
            by_day[day] |= move
            number = max(move.payment_attempt_ids.mapped("attempt_number"), default=0)
            values.append(
                move._collection_attempt_values(day, number + 1, move.payment_token_id)
            )
        for day, moves in by_day.items():
            moves.write({"collection_state": "scheduled", "collection_date": day})
        if values:
            self.env["recurring.payment.attempt"].sudo().create(values)
            self.env.ref(
                "recurring_payment.ir_cron_recurring_payment_collect"
            )._trigger()

    def _collection_is_closed(self):
        """Whether there is nothing left to charge: no longer posted, paid or
        reversed meanwhile, or nothing due."""
        self.ensure_one()
        return (
            self.state != "posted"
            or self.payment_state in ("paid", "in_payment", "reversed")
            or self.currency_id.is_zero(self.amount_residual)
        )

    def _collection_attempt_values(self, day, number, token):
        self.ensure_one()
        return {
            "move_id": self.id,
            "attempt_number": number,
            "scheduled_date": day,
            "token_id": token.id,
        }

    def _collection_restart(self, token):
        """Retry with ``token`` (a new payment method): the waiting attempts
        are cancelled and a new one is scheduled, today for a card, after the
        pre-notification lead time for a direct debit."""
        self._collection_restart_with({"payment_token_id": token.id})

    def _collection_restart_with(self, method_values):
        """Retry with a new payment method, ``method_values`` being the
        invoice fields that name it: the waiting attempts are cancelled and
        each open invoice whose charge or debit is not in progress gets a new
        attempt on the date the method allows."""
        self.payment_attempt_ids.filtered(
            lambda attempt: attempt.state == "scheduled"
        ).write({"state": "cancelled"})
        values = []
        for move in self:
            if move.currency_id.is_zero(move.amount_residual):
                continue
            if move.payment_attempt_ids.filtered(
                lambda attempt: attempt.state in ("charging", "pending")
            ):
                continue
            number = max(move.payment_attempt_ids.mapped("attempt_number"), default=0)
            move.write({**method_values, "collection_state": "scheduled"})
            day = move._collection_first_date()
            values.append(
                move._collection_attempt_values(day, number + 1, move.payment_token_id)
            )
        if values:
            self.env["recurring.payment.attempt"].sudo().create(values)
            self.env.ref(
                "recurring_payment.ir_cron_recurring_payment_collect"
            )._trigger()

    def _collection_notify_failure(self):
        """Tell the customer a charge failed, with the links to pay the
        invoice and to replace the payment method."""
        template = self.env.ref(
            "recurring_payment.mail_template_collection_failed",
            raise_if_not_found=False,
        )
        if template:
            self._portal_ensure_token()
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _collection_contract_url(self):
        """Where the customer replaces the payment method: the contract's
        portal page (the first contract of the invoice), else the saved
        payment methods."""
        self.ensure_one()
        contract = self.recurring_contract_ids[:1]
        base = self.get_base_url()
        if contract:
            return base + contract.get_portal_url()
        return base + "/my/payment_method"

    # ------------------------------------------------------------------
    # Numbering of the payments' journal entries in a collection batch
    # ------------------------------------------------------------------

    def _update_sequence_made_gap(self, invalidate_current=False):
        """In a collection batch, the same result for fewer queries.

        - An entry without a number (the payments' entries just created, in
          draft) makes no gap and borders none: account would still look up
          its next number format (two queries each) only to write the
          ``False`` it already has; such entries are skipped.
        - account looks up the number format of each entry twice in a row
          (its nested ``is_computed_with_mixin``); the second time is answered
          from the first, for this call only (the database does not change in
          between)."""
        if not self.env.context.get(BATCH_CONTEXT_KEY):
            return super()._update_sequence_made_gap(invalidate_current)
        moves = self.filtered(
            lambda move: (move.name and move.name != "/") or move.made_sequence_gap
        )
        if not moves:
            return None
        cache = self.env.cr.cache
        cache[SEQUENCE_FORMAT_MEMO] = {}
        try:
            return super(AccountMove, moves)._update_sequence_made_gap(
                invalidate_current
            )
        finally:
            cache.pop(SEQUENCE_FORMAT_MEMO, None)

    def _get_next_sequence_format(self):
        memo = self.env.cr.cache.get(SEQUENCE_FORMAT_MEMO)
        if memo is None or not self.id:
            return super()._get_next_sequence_format()
        if self.id not in memo:
            memo[self.id] = super()._get_next_sequence_format()
        format_string, format_values = memo[self.id]
        return format_string, dict(format_values)

    # ------------------------------------------------------------------
    # What other addons read
    # ------------------------------------------------------------------

    def _get_pending_collection_moves(self):
        pending = self.filtered(lambda move: move.collection_state in COLLECTING_STATES)
        return super()._get_pending_collection_moves() | pending

    def _collection_notice(self):
        """The sentence the invoice PDF prints about its automatic payment,
        or an empty string."""
        self.ensure_one()
        if (
            not self.payment_token_id
            or self.move_type != "out_invoice"
            or self.collection_state not in COLLECTING_STATES
        ):
            return ""
        day = self.collection_date or self._collection_first_date()
        if self._collection_is_debit():
            return self.env._(
                "%(amount)s will be debited on %(date)s from the account %(method)s.",
                amount=self._collection_amount_text(),
                date=self._collection_date_text(day),
                method=self.payment_token_id.display_name,
            )
        return self.env._(
            "%(amount)s will be charged on %(date)s to the payment method %(method)s.",
            amount=self._collection_amount_text(),
            date=self._collection_date_text(day),
            method=self.payment_token_id.display_name,
        )

    def _collection_method_label(self):
        """How the invoice is paid automatically, in words; empty when it is
        not (a bridge paying another way says its own)."""
        self.ensure_one()
        return self.payment_token_id.display_name or ""

    def _collection_amount_text(self):
        return format_amount(self.env, self.amount_residual, self.currency_id)

    def _collection_date_text(self, day):
        return format_date(self.env, day)
