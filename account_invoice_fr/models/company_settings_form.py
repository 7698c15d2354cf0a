# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class CompanySettingsForm(models.AbstractModel):
    """A settings form of the current company for the managers of one feature.

    Odoo's Settings (``res.config.settings``) are for system administrators
    only; a feature's managers change here the company fields listed by
    ``_company_setting_fields`` and nothing else of the company. Each form
    is a TransientModel inheriting this one and declaring those fields.
    """

    _name = "company.settings.form"
    _description = "Company settings form"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )

    @api.model
    def _company_setting_fields(self):
        """Names of the company fields set through this form."""
        return []

    @api.model
    def _manager_group(self):
        """XML id of the group allowed to save the form."""
        raise NotImplementedError()

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
        if not self.env.user.has_group(self._manager_group()):
            raise AccessError(self.env._("Only managers can change these settings."))
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
