# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DunningAction(models.Model):
    """The action log: this invoice received this level through this channel.

    Unique per (invoice, level, channel) in the database, so a level is never
    sent twice for an invoice, whatever runs overlap.
    """

    _name = "dunning.action"
    _description = "Dunning Action"
    _order = "date desc, id desc"

    run_customer_id = fields.Many2one(
        "dunning.run.customer", required=True, ondelete="cascade", index=True
    )
    run_id = fields.Many2one(related="run_customer_id.run_id", store=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    level_id = fields.Many2one("dunning.level", required=True, ondelete="restrict")
    level_sequence = fields.Integer(string="Level number", required=True)
    channel = fields.Selection(
        [("email", "Email"), ("letter", "Letter"), ("activity", "Activity")],
        required=True,
    )
    date = fields.Date(required=True, index=True)
    state = fields.Selection(
        [("sent", "Sent"), ("error", "Error")], default="sent", required=True
    )
    error = fields.Char()
    message_id = fields.Many2one("mail.message", index="btree_not_null")

    _invoice_level_channel_unique = models.UniqueIndex(
        "(move_id, level_id, channel)",
        "This level was already sent for this invoice through this channel.",
    )
