# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class BillRunCustomer(models.Model):
    _inherit = "bill.run.customer"

    preview_collect_count = fields.Integer(
        string="Automatic payments (preview)",
        help="How many of the customer's invoices the run will have charged or "
        "debited automatically.",
    )
    preview_collect_amount = fields.Monetary(
        string="To collect (preview)",
        help="The total, taxes included, of the customer's invoices the run will "
        "have charged or debited automatically.",
    )
    collect_count = fields.Integer(
        string="Automatic payments",
        compute="_compute_collect",
        help="The customer's invoices of this run whose automatic payment was "
        "scheduled.",
    )
    collect_amount = fields.Monetary(
        string="To collect",
        compute="_compute_collect",
        help="Their total, taxes included.",
    )

    @api.depends("invoice_ids.payment_attempt_ids")
    def _compute_collect(self):
        for customer in self:
            moves = customer.invoice_ids.filtered("payment_attempt_ids")
            customer.collect_count = len(moves)
            customer.collect_amount = sum(moves.mapped("amount_total_signed"))
