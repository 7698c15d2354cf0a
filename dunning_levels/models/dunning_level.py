# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DunningLevel(models.Model):
    """One step of a dunning policy, reached some days after the due date."""

    _name = "dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    sequence = fields.Integer(
        string="Level", required=True, help="Levels are reached in this order."
    )
    name = fields.Char(required=True, translate=True)
    delay_days = fields.Integer(
        string="Days after due date",
        required=True,
        help="Reached when the oldest overdue invoice is this many days late. "
        "A negative number sends a courtesy reminder before the due date.",
    )
    min_amount = fields.Monetary(
        string="Minimum overdue amount", currency_field="currency_id"
    )
    channel_email = fields.Boolean(string="Email", default=True)
    channel_letter = fields.Boolean(string="Printed letter")
    channel_activity = fields.Boolean(string="Activity")
    activity_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        help="Who gets the activity; the customer's salesperson when empty.",
    )
    claim_indemnity = fields.Boolean(
        string="Claim the 40 € indemnity",
        help="Claim the fixed recovery indemnity of 40 € per late invoice "
        "(Code de commerce L441-10 and D441-5).",
    )
    claim_penalties = fields.Boolean(
        string="Claim late-payment penalties",
        help="Show the penalties accrued since the due date at the company's "
        "late-payment rate (Code de commerce L441-10).",
    )
    formal_notice = fields.Boolean(
        help="This level is a formal notice (mise en demeure, Code civil "
        "art. 1344), sent as a registered letter; it must be the last level."
    )
    block_customer = fields.Boolean(
        help="Sale orders of a customer at this level warn the salesperson."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain="[('model', '=', 'dunning.run.customer')]",
        default=lambda self: self.env.ref(
            "dunning_levels.mail_template_dunning_reminder", raise_if_not_found=False
        ),
    )
    attach_statement = fields.Boolean(
        string="Attach the statement",
        default=True,
        help="Attach the PDF statement of the open invoices to the email.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        ),
    )
    letter_text = fields.Html(
        translate=True,
        help="Opening of the printed letter; the default text of the level is "
        "used when empty.",
    )
    issue_charges = fields.Boolean(
        string="Invoice the charges",
        help="Issue the penalties and the indemnity claimed as a VAT-free debit "
        "invoice to the customer (once per invoice).",
    )
    requires_previous = fields.Boolean(
        string="Requires previous level sent",
        default=True,
        help="The customer only reaches this level once the previous one was "
        "sent to them.",
    )

    channels_display = fields.Char(
        string="Channels", compute="_compute_channels_display"
    )

    _level_unique = models.Constraint(
        "UNIQUE (policy_id, sequence)",
        "Each level of a policy must have its own number.",
    )

    @api.depends("channel_email", "channel_letter", "channel_activity")
    def _compute_channels_display(self):
        labels = dict(
            self.env["dunning.action"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        for level in self:
            level.channels_display = ", ".join(
                labels[channel] for channel in level._channels()
            )

    @api.constrains("channel_email", "channel_letter", "channel_activity")
    def _check_channel(self):
        for level in self:
            channels = (
                level.channel_email,
                level.channel_letter,
                level.channel_activity,
            )
            if not any(channels):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s needs at least one channel: email, "
                        "letter or activity.",
                        level=level.name,
                    )
                )

    @api.constrains("issue_charges", "claim_indemnity", "claim_penalties")
    def _check_charges(self):
        for level in self:
            if level.issue_charges and not (
                level.claim_indemnity or level.claim_penalties
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s invoices charges: it must claim the "
                        "penalties or the indemnity.",
                        level=level.name,
                    )
                )

    @api.constrains("sequence", "delay_days", "policy_id")
    def _check_delays_increase(self):
        for policy in self.policy_id:
            levels = policy.level_ids.sorted("sequence")
            for previous, level in zip(levels, levels[1:], strict=False):
                if level.delay_days <= previous.delay_days:
                    raise ValidationError(
                        self.env._(
                            "Level %(level)s must be reached later than level "
                            "%(previous)s (%(days)s days after the due date).",
                            level=level.name,
                            previous=previous.name,
                            days=previous.delay_days,
                        )
                    )

    def _channels(self):
        """The level's channels as the engine names them."""
        self.ensure_one()
        return tuple(
            channel
            for channel, enabled in (
                ("email", self.channel_email),
                ("letter", self.channel_letter),
                ("activity", self.channel_activity),
            )
            if enabled
        )
