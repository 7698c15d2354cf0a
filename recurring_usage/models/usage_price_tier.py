# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class UsagePriceTier(models.Model):
    """One tier of a contract line's graduated or volume price model."""

    _name = "usage.price.tier"
    _description = "Usage Price Tier"
    _order = "line_id, sequence, up_to, id"

    line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    up_to = fields.Float(
        digits="Product Unit",
        help="Last unit of the tier; empty (0) for the last, open-ended tier.",
    )
    unit_price = fields.Float(digits="Product Price", required=True)
    flat_fee = fields.Float(
        digits="Product Price", help="Added when the tier is reached."
    )

    _up_to_positive = models.Constraint(
        "CHECK (up_to IS NULL OR up_to >= 0)", "A tier bound cannot be negative."
    )
