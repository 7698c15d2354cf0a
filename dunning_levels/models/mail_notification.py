# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def write(self, vals):
        res = super().write(vals)
        if vals.get("notification_status") in ("exception", "bounce"):
            actions = (
                self.env["dunning.action"]
                .sudo()
                .search(
                    [
                        ("message_id", "in", self.mail_message_id.ids),
                        ("channel", "=", "email"),
                        ("state", "=", "sent"),
                    ]
                )
            )
            if actions:
                self.env["dunning.send"]._email_failed(
                    actions.run_customer_id,
                    vals.get("failure_reason") or vals["notification_status"],
                )
        return res
