# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

#: context key of the collection cron's batches: the transactions' messages
#: on the invoices are left out (the collection logs one line per invoice) and
#: the payments of the batch's done transactions are made together
BATCH_CONTEXT_KEY = "recurring_payment_batch"


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    recurring_contract_id = fields.Many2one(
        "recurring.contract",
        string="Contract",
        readonly=True,
        index="btree_not_null",
        help="The contract whose payment method this transaction saves (the "
        "payment form of the contract's portal page).",
    )

    @api.constrains("token_id")
    def _check_token_is_active(self):
        """payment's check reads one token: checked one transaction at a time,
        so that a batch of transactions can be created together."""
        for transaction in self[:-1]:
            super(PaymentTransaction, transaction)._check_token_is_active()
        return super(PaymentTransaction, self[-1:])._check_token_is_active()

    # ------------------------------------------------------------------
    # Messages: one line per invoice in a batch (written by the attempts)
    # ------------------------------------------------------------------

    def _log_sent_message(self):
        if self.env.context.get(BATCH_CONTEXT_KEY):
            return None
        return super()._log_sent_message()

    def _log_received_message(self):
        if self.env.context.get(BATCH_CONTEXT_KEY):
            return None
        return super()._log_received_message()

    def _log_message_on_linked_documents(self, message):
        if self.env.context.get(BATCH_CONTEXT_KEY):
            return None
        return super()._log_message_on_linked_documents(message)

    # ------------------------------------------------------------------
    # Post-processing
    # ------------------------------------------------------------------

    def _post_process(self):
        """Record the outcome on the automatic payment attempts (a pending
        charge settled later by the provider comes through here too); a
        payment method saved from a contract's portal page becomes the
        contract's (its open invoices are then retried with it).

        In a collection batch, the payments of the done transactions are
        created, posted and reconciled together first, as account_payment's
        ``_create_payment`` does one by one; account_payment's own
        post-processing then finds them made and only flags the transactions
        post-processed."""
        if self.env.context.get(BATCH_CONTEXT_KEY):
            self._collection_create_payments()
        result = super()._post_process()
        attempts = (
            self.env["recurring.payment.attempt"]
            .sudo()
            .search(
                [
                    ("transaction_id", "in", self.ids),
                    ("state", "in", ("charging", "pending")),
                ]
            )
        )
        attempts._sync_from_transaction()
        self._assign_token_to_contract()
        return result

    def _assign_token_to_contract(self):
        for tx in self.filtered(
            lambda tx: tx.recurring_contract_id
            and tx.operation == "validation"
            and tx.state in ("done", "authorized")
            and tx.token_id.active
        ):
            contract = tx.recurring_contract_id.sudo()
            if (
                tx.token_id != contract.payment_token_id
                and tx.token_id in contract._portal_payment_tokens()
            ):
                contract.payment_token_id = tx.token_id

    def _collection_batch_payable(self):
        """Whether the payment of this done transaction can be made with the
        batch: the plain case of an automatic charge (one or more posted
        invoices, no early payment discount, no partial capture). Anything
        else is left to account_payment's ``_create_payment``."""
        self.ensure_one()
        invoices = self.invoice_ids
        return bool(
            self.state == "done"
            and self.operation not in ("validation", "refund")
            and not self.payment_id
            and not self.source_transaction_id
            and not self.child_transaction_ids
            and self.amount > 0
            and self.provider_id.journal_id
            and invoices
            and all(invoice.state == "posted" for invoice in invoices)
            and not invoices.invoice_payment_term_id.filtered("early_discount")
        )

    def _collection_payment_values(self):
        """The values of account_payment's ``_create_payment`` (its journal
        entry is made when the payments are posted, together)."""
        self.ensure_one()
        provider = self.provider_id
        method_line = provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        )
        values = {
            "amount": abs(self.amount),
            "payment_type": "inbound",
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "partner_type": "customer",
            "journal_id": provider.journal_id.id,
            "company_id": provider.company_id.id,
            "payment_method_line_id": method_line[:1].id,
            "payment_token_id": self.token_id.id,
            "payment_transaction_id": self.id,
            "memo": f"{self.reference} - {self.provider_reference or ''}",
            "invoice_ids": [Command.set(self.invoice_ids.ids)],
        }
        term_lines = self.invoice_ids.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        if term_lines:
            values["destination_account_id"] = term_lines[0].account_id.id
        return values

    def _collection_create_payments(self):
        """Create, post and reconcile the payments of these done transactions
        together, per company: one ``create`` of the payments, one of their
        journal entries (account's ``_generate_journal_entry`` values), one
        ``action_post``, one reconciliation plan (the payment's and the
        invoices' open lines of each transaction)."""
        payable = self.filtered(lambda tx: tx._collection_batch_payable())
        for company, transactions in payable.grouped("company_id").items():
            transactions = transactions.with_company(company)
            env = transactions.env
            payments = env["account.payment"].create(
                [tx._collection_payment_values() for tx in transactions]
            )
            need_move = payments.filtered(
                lambda payment: not payment.move_id and payment.outstanding_account_id
            )
            moves = env["account.move"].create(
                [payment._generate_move_vals() for payment in need_move]
            )
            need_move._collection_link_moves(moves)
            payments.action_post()
            plan = []
            for transaction, payment in zip(transactions, payments, strict=True):
                transaction.payment_id = payment
                invoices = transaction.invoice_ids.filtered(
                    lambda invoice: invoice.state != "cancel"
                )
                plan.append(
                    (payment.move_id.line_ids + invoices.line_ids).filtered(
                        lambda line, payment=payment: line.account_id
                        == payment.destination_account_id
                        and not line.reconciled
                    )
                )
            env["account.move.line"]._reconcile_plan(plan)


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _collection_link_moves(self, moves):
        """Link each payment to its journal entry (``moves``, in order).

        account's ``_generate_journal_entry`` writes each payment's ``move_id``
        apart, and each write walks the dependencies of the payment's state
        (a search of the invoices it reconciles): several queries per
        payment. Here, one UPDATE for all, then the cache, the dependencies
        and the constraints once, as the ORM's ``write`` does."""
        if not self:
            return
        self.modified(["move_id"], before=True)
        self.flush_recordset(["move_id"])
        rows = SQL(", ").join(
            SQL("(%s, %s)", payment.id, move.id)
            for payment, move in zip(self, moves, strict=True)
        )
        self.env.execute_query(
            SQL(
                """UPDATE account_payment
                      SET move_id = link.move_id,
                          write_uid = %(uid)s,
                          write_date = %(now)s
                     FROM (VALUES %(rows)s) AS link(id, move_id)
                    WHERE account_payment.id = link.id""",
                uid=self.env.uid,
                now=self.env.cr.now(),
                rows=rows,
            )
        )
        self.invalidate_recordset(["move_id", "write_uid", "write_date"])
        self.modified(["move_id"])
        self._validate_fields(["move_id"])
        self._check_company(["move_id"])
