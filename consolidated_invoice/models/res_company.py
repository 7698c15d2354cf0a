# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    consolidation_policy_id = fields.Many2one(
        "consolidation.policy",
        string="Default consolidation policy",
        help="Bill runs consolidate the invoices of customers that have no "
        "policy of their own with this one. Empty: one invoice per contract.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._add_default_consolidation_policy()
        return companies

    @api.model
    def _create_default_consolidation_policies(self):
        """Install: a default policy for every company that has none."""
        self.sudo().search(
            [("consolidation_policy_id", "=", False)]
        )._add_default_consolidation_policy()

    def _add_default_consolidation_policy(self):
        """Consolidation on out of the box: the companies without a policy get
        a monthly one, named in their own language. It keeps each contract's
        billing day: installing the addon does not move the periods of
        existing contracts (a bill cycle day is chosen on the policy)."""
        Policy = self.env["consolidation.policy"].sudo().with_context(lang="en_US")
        for company in self.sudo().filtered(lambda c: not c.consolidation_policy_id):
            policy = Policy.create(
                {
                    "name": "Monthly consolidation",
                    "company_id": company.id,
                    "billing_cycle": "month",
                    "billing_day": "contract",
                }
            )
            lang = company.partner_id.lang
            if lang and lang != "en_US":
                policy.with_context(lang=lang).name = policy.with_context(
                    lang=lang
                ).env._("Monthly consolidation")
            company.consolidation_policy_id = policy
