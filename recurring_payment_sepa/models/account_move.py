# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.recurring_payment.models.account_move import (
    ACTIVE_ATTEMPT_STATES,
    COLLECTING_STATES,
)


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Posting starts the collection
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        """A customer invoice posted with a SEPA mandate (and no saved
        payment method) schedules its debit like a direct-debit token: on
        max(due date, posting day + the pre-notification lead time)."""
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move._collection_by_mandate()
            and not move.payment_attempt_ids.filtered(
                lambda attempt: attempt.state in ACTIVE_ATTEMPT_STATES
            )
        )._collection_start()
        return posted

    def _collection_by_mandate(self):
        """True when the invoice is collected by SEPA direct debit under its
        mandate: a customer invoice with a mandate, a direct-debit payment
        mode meant for payment orders, and no saved payment method."""
        self.ensure_one()
        return bool(
            self.mandate_id
            and not self.payment_token_id
            and self.move_type == "out_invoice"
            and self.payment_mode_id.payment_method_id.code == "sepa_direct_debit"
            and self.payment_mode_id.payment_order_ok
        )

    def _collection_is_debit(self):
        return self._collection_by_mandate() or super()._collection_is_debit()

    def _collection_restart_by_mandate(self, mandate):
        """Debit these open invoices under ``mandate``, after the lead time
        (an invoice whose debit is in progress is left to it)."""
        for company, moves in self.grouped("company_id").items():
            mode = company._recurring_payment_sepa_mode()
            if mode:
                moves._collection_restart_with(
                    {
                        "mandate_id": mandate.id,
                        "payment_mode_id": mode.id,
                        "payment_token_id": False,
                    }
                )

    def _collection_method_label(self):
        if self._collection_by_mandate():
            return self.env._(
                "SEPA direct debit, mandate %(umr)s",
                umr=self.mandate_id.unique_mandate_reference,
            )
        return super()._collection_method_label()

    def _collection_attempt_values(self, day, number, token):
        values = super()._collection_attempt_values(day, number, token)
        if self._collection_by_mandate():
            values["mandate_id"] = self.mandate_id.id
        return values

    # ------------------------------------------------------------------
    # Pre-notification
    # ------------------------------------------------------------------

    def _collection_notice(self):
        """Under a mandate: amount, debit date, mandate reference (UMR) and
        creditor identifier (ICS), as the SEPA rulebook asks."""
        self.ensure_one()
        if not self._collection_by_mandate():
            return super()._collection_notice()
        if self.collection_state not in COLLECTING_STATES:
            return ""
        day = self.collection_date or self._collection_first_date()
        return self.env._(
            "%(amount)s will be debited by SEPA direct debit on %(date)s under "
            "the mandate %(umr)s, creditor identifier %(ics)s.",
            amount=self._collection_amount_text(),
            date=self._collection_date_text(day),
            umr=self.mandate_id.unique_mandate_reference,
            ics=self.payment_mode_id.sepa_creditor_identifier
            or self.company_id.sepa_creditor_identifier
            or "",
        )
