# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import dataclasses

from odoo import fields, models


class RecurringContract(models.Model):
    _inherit = "recurring.contract"

    buyer_reference = fields.Char(
        help="Reference the customer wants on its invoices (EN 16931 BT-10)."
    )
    purchase_order_ref = fields.Char(
        string="Purchase order",
        help="The customer's purchase order (EN 16931 BT-13).",
    )
    invoice_separately = fields.Boolean(
        help="Never consolidate this contract with the customer's others."
    )

    def _consolidation_policy(self):
        """The customer's policy, else the company's; empty when the customer
        or the contract opted out of consolidation."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        if self.invoice_separately or partner.consolidation_disabled:
            return self.env["consolidation.policy"]
        return (
            partner.consolidation_policy_id or self.company_id.consolidation_policy_id
        )

    def _consolidation_opt_out_reason(self):
        """Why the contract is invoiced on its own (no policy applies)."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        if self.invoice_separately:
            return self.env._(
                "contract %(contract)s is set to be invoiced separately",
                contract=self.name,
            )
        if partner.consolidation_disabled:
            return self.env._("the customer is set to invoice each contract separately")
        return self.env._(
            "no consolidation policy: set a default one in the settings or one "
            "on the customer"
        )

    def action_create_invoices(self):
        """Under a consolidation policy, the button bills the contract's
        customer through a one-customer bill run, so that the invoice is
        consolidated, posted, sent and recorded as the daily run would do it;
        a run that could not bill everything is shown with its reasons."""
        consolidated = self.filtered(lambda contract: contract._consolidation_policy())
        if not consolidated:
            return super().action_create_invoices()
        moves = (self - consolidated)._invoice_now()
        runs = self.env["bill.run"]._run_for_contracts(consolidated)
        unfinished = runs.filtered(lambda run: run.state != "done")
        if unfinished:
            return unfinished[0]._get_records_action()
        return self._action_view_moves(moves | runs.customer_ids.invoice_ids)

    def _recurrence(self):
        """Co-terming: monthly calendar contracts of a consolidated customer
        start their periods on the policy's bill cycle day."""
        recurrence = super()._recurrence()
        policy = self._consolidation_policy()
        if (
            policy
            and policy.billing_day != "contract"
            and recurrence.mode == "calendar"
            and recurrence.unit == "month"
        ):
            day = policy.billing_day
            recurrence = dataclasses.replace(
                recurrence, billing_day="last" if day == "last" else int(day)
            )
        return recurrence
