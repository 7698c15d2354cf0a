# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RecurringPriceIndex(models.Model):
    """A price index contracts are revised with (Syntec, INSEE …); its values
    are entered or imported, never fetched at run time."""

    _name = "recurring.price.index"
    _description = "Price Index"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    value_ids = fields.One2many("recurring.price.index.value", "index_id")

    def _value_on(self, on_date):
        """The latest value published on or before ``on_date``, or None."""
        self.ensure_one()
        published = self.value_ids.filtered(lambda v: v.publication_date <= on_date)
        return published.sorted("publication_date")[-1:] or None
