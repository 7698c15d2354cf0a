# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class DunningSettings(models.TransientModel):
    """The dunning settings and late-payment terms of the current company, for
    credit managers (Odoo's Settings are for system administrators only):
    the company fields of ``_company_setting_fields`` and nothing else."""

    _name = "dunning.settings"
    _description = "Dunning settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    late_payment_rate_type = fields.Selection(
        selection=lambda self: self.env["res.company"]
        ._fields["late_payment_rate_type"]
        ._description_selection(self.env),
        string="Late-payment penalty rate",
        required=True,
    )
    late_payment_rate = fields.Float(
        string="Contractual penalty rate (%)", digits=(5, 2)
    )
    early_payment_discount_terms = fields.Char()
    dunning_policy_id = fields.Many2one(
        "dunning.policy",
        string="Default dunning policy",
        domain="[('company_id', '=', company_id)]",
    )

    @api.model
    def _company_setting_fields(self):
        """Names of the company fields set through this form."""
        return [
            "late_payment_rate_type",
            "late_payment_rate",
            "early_payment_discount_terms",
            "dunning_policy_id",
        ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        current = company._convert_to_write(
            {name: company[name] for name in self._company_setting_fields()}
        )
        values.update({k: v for k, v in current.items() if k in fields_list})
        return values

    def action_save(self):
        """Write the settings on the company (checked rights, these fields only)."""
        self.ensure_one()
        if not self.env.user.has_group("dunning_levels.group_dunning_manager"):
            raise AccessError(
                self.env._("Only credit managers can change these settings.")
            )
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot change the settings of %(company)s.",
                    company=self.company_id.display_name,
                )
            )
        values = self._convert_to_write(
            {name: self[name] for name in self._company_setting_fields()}
        )
        self.company_id.sudo().write(values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("Settings saved."),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
