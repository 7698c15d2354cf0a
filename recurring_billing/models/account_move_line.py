# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    recurring_period_ids = fields.One2many(
        "recurring.period", "move_line_id", string="Billed periods", readonly=True
    )
    # the other side of recurring.period.credit_move_line_ids: a credit line
    # is created with the rows it credits linked
    recurring_credited_period_ids = fields.Many2many(
        "recurring.period",
        "recurring_period_credit_line_rel",
        "move_line_id",
        "period_id",
        string="Credited periods",
        readonly=True,
        copy=False,
    )
