# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    ledger_export_id = fields.Many2one(
        comodel_name="ledger.export",
        string="Accountant Export",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The accountant export batch (CSV, Quadratus) that last exported "
        "this entry; undoing the batch clears it.",
    )
