# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RecurringPriceIndexValue(models.Model):
    _name = "recurring.price.index.value"
    _description = "Price Index Value"
    _order = "publication_date desc, id desc"
    _rec_name = "reference"

    index_id = fields.Many2one(
        "recurring.price.index", required=True, ondelete="cascade", index=True
    )
    reference = fields.Char(
        string="Reference period", required=True, help="e.g. 2026-01 or 2026-Q1"
    )
    value = fields.Float(required=True, digits=(16, 4))
    publication_date = fields.Date(required=True)

    _reference_unique = models.Constraint(
        "UNIQUE (index_id, reference)",
        "An index has one value per reference period.",
    )
    _value_positive = models.Constraint(
        "CHECK (value > 0)", "An index value must be positive."
    )
