# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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

    def _post_process(self):
        """Record the outcome on the automatic payment attempts (a pending
        charge settled later by the provider comes through here too); a
        payment method saved from a contract's portal page becomes the
        contract's (its open invoices are then retried with it)."""
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
