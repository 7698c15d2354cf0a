# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecurringContract(models.Model):
    _inherit = "recurring.contract"

    mandate_id = fields.Many2one(
        "account.banking.mandate",
        string="SEPA mandate",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), "
        "('company_id', '=', company_id), ('state', '=', 'valid')]",
        help="The SEPA direct debit mandate that pays this contract's invoices "
        "once they are posted: they join a direct-debit payment order after the "
        "pre-notification lead time. Contracts paid differently never share an "
        "invoice.",
    )

    @api.constrains("mandate_id", "payment_token_id")
    def _check_one_payment_method(self):
        for contract in self:
            if contract.mandate_id and contract.payment_token_id:
                raise ValidationError(
                    self.env._(
                        "The contract %(contract)s is paid either with a saved "
                        "payment method or under a SEPA mandate, not both.",
                        contract=contract.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id_mandate(self):
        for contract in self:
            default = contract.partner_id.commercial_partner_id.with_company(
                contract.company_id
            ).recurring_payment_mandate_id
            if default.state == "valid" and not contract.payment_token_id:
                contract.mandate_id = default

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for values in vals_list:
            if (
                "mandate_id" in values
                or values.get("payment_token_id")
                or not values.get("partner_id")
            ):
                continue
            company_id = values.get("company_id") or self.env.company.id
            partner = Partner.browse(values["partner_id"]).commercial_partner_id
            partner = partner.with_company(company_id)
            # a default saved payment method of the customer (recurring_payment
            # applies it) wins over a default mandate
            if "payment_token_id" not in values and (
                partner.recurring_payment_token_id.active
            ):
                continue
            mandate = partner.recurring_payment_mandate_id
            if mandate.state == "valid":
                values["mandate_id"] = mandate.id
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("mandate_id"):
            self._retry_open_invoices_by_mandate()
        return result

    def _retry_open_invoices_by_mandate(self):
        """A new mandate (the customer signed another one after a return or a
        revocation): the open invoices of these contracts whose collection
        failed or waits for a retry are debited under it, after the
        pre-notification lead time."""
        moves = self.invoice_ids.filtered(
            lambda move: move.collection_state in ("scheduled", "failed")
            and move.state == "posted"
            and move.move_type == "out_invoice"
        )
        for contract in self.filtered(lambda c: c.mandate_id.state == "valid"):
            contract_moves = moves & contract.invoice_ids
            if contract_moves:
                contract_moves._collection_restart_by_mandate(contract.mandate_id)
