# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Command


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    contract_line_ids = fields.One2many(
        "recurring.contract.line", "sale_line_id", string="Contract lines"
    )

    @api.depends("product_id.recurring_ok")
    def _compute_qty_to_invoice(self):
        """Subscription lines are billed by their contract, period by period."""
        result = super()._compute_qty_to_invoice()
        for line in self:
            if line.product_id.recurring_ok:
                line.qty_to_invoice = 0.0
        return result

    def _prepare_contract_line_values(self, start):
        self.ensure_one()
        return {
            "sale_line_id": self.id,
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "name": self.name,
            "quantity": self.product_uom_qty,
            "uom_id": self.product_uom_id.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [Command.set(self.tax_ids.ids)],
            "date_start": start,
        }
