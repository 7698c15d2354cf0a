# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringContract(models.Model):
    _inherit = "recurring.contract"

    payment_token_id = fields.Many2one(
        "payment.token",
        string="Payment method",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), "
        "('company_id', '=', company_id)]",
        help="The saved payment method that pays this contract's invoices "
        "automatically once they are posted. Contracts paid differently never "
        "share an invoice.",
    )
    payment_attempt_ids = fields.Many2many(
        "recurring.payment.attempt",
        string="Payment attempts",
        compute="_compute_payment_attempt_ids",
    )
    payment_failed_count = fields.Integer(
        string="Failed collections", compute="_compute_payment_attempt_ids"
    )

    @api.depends(
        "period_ids.move_id.payment_attempt_ids.state",
        "period_ids.move_id.collection_state",
    )
    def _compute_payment_attempt_ids(self):
        for contract in self:
            attempts = contract.invoice_ids.payment_attempt_ids
            contract.payment_attempt_ids = attempts
            contract.payment_failed_count = len(
                contract.invoice_ids.filtered(
                    lambda move: move.collection_state == "failed"
                )
            )

    @api.onchange("partner_id")
    def _onchange_partner_id_payment_token(self):
        for contract in self:
            default = contract.partner_id.commercial_partner_id.with_company(
                contract.company_id
            ).recurring_payment_token_id
            contract.payment_token_id = default

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for values in vals_list:
            if "payment_token_id" in values or not values.get("partner_id"):
                continue
            company_id = values.get("company_id") or self.env.company.id
            partner = Partner.browse(values["partner_id"]).commercial_partner_id
            token = partner.with_company(company_id).recurring_payment_token_id
            if token.active:
                values["payment_token_id"] = token.id
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("payment_token_id"):
            self._retry_open_invoices()
        return result

    def _retry_open_invoices(self):
        """A new payment method: the open invoices of these contracts whose
        collection failed or waits for a retry are charged with it at once."""
        moves = self.invoice_ids.filtered(
            lambda move: move.collection_state in ("scheduled", "failed")
            and move.state == "posted"
            and move.move_type == "out_invoice"
        )
        for contract in self:
            contract_moves = moves & contract.invoice_ids
            if contract_moves:
                contract_moves._collection_restart(contract.payment_token_id)

    def _portal_payment_tokens(self):
        """The saved payment methods the customer may choose on the portal
        (the page is rendered with sudo)."""
        self.ensure_one()
        return self.env["payment.token"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("active", "=", True),
            ]
        )
