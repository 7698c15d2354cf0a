# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RecurringContractLinePrice(models.Model):
    """A dated price of a contract line: each period is billed at the price in
    force at its start; revisions add entries, the history is kept."""

    _name = "recurring.contract.line.price"
    _description = "Contract Line Price"
    _order = "date_from desc, id desc"

    line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    date_from = fields.Date(required=True)
    price_unit = fields.Float(required=True, digits="Product Price")
    note = fields.Char()

    _line_date_unique = models.Constraint(
        "UNIQUE (line_id, date_from)", "A line has one price per date."
    )

    @api.depends("date_from", "price_unit")
    def _compute_display_name(self):
        for price in self:
            price.display_name = f"{price.date_from}: {price.price_unit:.2f}"
