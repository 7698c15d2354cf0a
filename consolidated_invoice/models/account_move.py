# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    buyer_reference = fields.Char(
        copy=False,
        help="Reference the buyer asked for on its invoices (EN 16931 BT-10; "
        "the service code on Chorus Pro).",
    )
    purchase_order_ref = fields.Char(
        string="Purchase order",
        copy=False,
        help="The buyer's purchase order reference (EN 16931 BT-13).",
    )
    service_start_date = fields.Date(
        string="Billing period from",
        compute="_compute_service_period",
        help="The earliest service start of the invoice lines (EN 16931 BT-73).",
    )
    service_end_date = fields.Date(
        string="Billing period to",
        compute="_compute_service_period",
        help="The latest service end of the invoice lines (EN 16931 BT-74).",
    )

    @api.depends(
        "invoice_line_ids.service_start_date", "invoice_line_ids.service_end_date"
    )
    def _compute_service_period(self):
        for move in self:
            lines = move.invoice_line_ids.filtered(
                lambda line: line.service_start_date and line.service_end_date
            )
            move.service_start_date = min(
                lines.mapped("service_start_date"), default=False
            )
            move.service_end_date = max(lines.mapped("service_end_date"), default=False)
