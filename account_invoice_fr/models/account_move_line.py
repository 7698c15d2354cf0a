# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    service_start_date = fields.Date(
        string="Service from",
        copy=False,
        help="First day of the service billed on this line (EN 16931 BT-134).",
    )
    service_end_date = fields.Date(
        string="Service to",
        copy=False,
        help="Last day of the service billed on this line (EN 16931 BT-135).",
    )

    @api.constrains("service_start_date", "service_end_date")
    def _check_service_dates(self):
        for line in self:
            start, end = line.service_start_date, line.service_end_date
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "The service period of line %(line)s ends before it starts.",
                        line=line.name or line.product_id.display_name,
                    )
                )
