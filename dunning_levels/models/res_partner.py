# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "dunning.policy",
        company_dependent=True,
        help="Overrides the company's default dunning policy for this customer.",
    )
    dunning_contact_id = fields.Many2one(
        "res.partner",
        string="Dunning contact",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="Receives the payment reminders; else the invoice address, else "
        "the company itself.",
    )
    dunning_pause_until = fields.Date(
        string="Reminders paused until",
        help="No reminder is sent to this customer up to and including this date.",
    )
    dunning_blocked = fields.Boolean(
        string="Blocked by dunning",
        readonly=True,
        help="A dunning level blocked this customer; lifted when nothing is "
        "overdue any more.",
    )
    dunning_block_message = fields.Text(readonly=True)
    dunning_action_ids = fields.One2many("dunning.action", "partner_id")
    dunning_run_customer_ids = fields.One2many(
        "dunning.run.customer",
        "partner_id",
        domain=[("preview", "=", False)],
    )
    dunning_dispute_ids = fields.One2many("dunning.dispute", "partner_id")
    dunning_promise_ids = fields.One2many("dunning.promise", "partner_id")
    dunning_promise_kept_count = fields.Integer(compute="_compute_promise_counts")
    dunning_promise_broken_count = fields.Integer(compute="_compute_promise_counts")

    @api.depends("dunning_promise_ids.state")
    def _compute_promise_counts(self):
        for partner in self:
            states = partner.dunning_promise_ids.mapped("state")
            partner.dunning_promise_kept_count = states.count("kept")
            partner.dunning_promise_broken_count = states.count("broken")

    def _dunning_recipient(self):
        """Dunning contact, else the invoice address, else the partner itself."""
        self.ensure_one()
        if self.dunning_contact_id:
            return self.dunning_contact_id
        return self.browse(self.address_get(["invoice"])["invoice"])

    def _dunning_block(self, level):
        """Warn on the customer's sale orders (no hard dependency on ``sale``)."""
        message = self.env._(
            "Payment reminders: this customer reached the dunning level "
            "%(level)s. Ask for payment before confirming new orders.",
            level=level.name,
        )
        for partner in self.filtered(lambda p: not p.dunning_blocked):
            values = {"dunning_blocked": True, "dunning_block_message": message}
            if "sale_warn_msg" in partner._fields:
                previous = partner.sale_warn_msg or ""
                values["sale_warn_msg"] = (
                    f"{message}\n{previous}" if previous else message
                )
            partner.write(values)

    def _dunning_unblock(self):
        for partner in self.filtered("dunning_blocked"):
            values = {"dunning_blocked": False, "dunning_block_message": False}
            if "sale_warn_msg" in partner._fields and partner.dunning_block_message:
                rest = (partner.sale_warn_msg or "").replace(
                    partner.dunning_block_message, ""
                )
                values["sale_warn_msg"] = rest.strip() or False
            partner.write(values)

    def action_dunning_promise(self):
        return self.env["dunning.promise.wizard"]._action_open(self)

    def action_dunning_dispute(self):
        return self.env["dunning.dispute.wizard"]._action_open(self)
