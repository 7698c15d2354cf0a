# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DunningPolicy(models.Model):
    """A company's ladder of payment reminders."""

    _name = "dunning.policy"
    _description = "Dunning Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_ids = fields.One2many("dunning.level", "policy_id", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    tolerance = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="No reminder is sent while the customer's net overdue amount is at "
        "or below this amount.",
    )
    min_interval_days = fields.Integer(
        string="Days between reminders",
        default=7,
        tracking=True,
        help="Minimum number of days between two reminders to the same customer.",
    )
    promise_grace_days = fields.Integer(
        string="Grace days after a promise",
        default=3,
        help="Days after a promised payment date before reminders resume.",
    )
    charge_account_id = fields.Many2one(
        "account.account",
        string="Charges income account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Account of the penalties and indemnities invoiced; the sale "
        "journal's default account when empty.",
    )

    late_payment_warning = fields.Text(
        readonly=True,
        copy=False,
        help="Half-years whose penalties wait for the rate table's figures, or "
        "whose legal floor replaced the contractual rate, as found by the last "
        "dunning runs. Cleared when the rate table changes.",
    )

    _tolerance_positive = models.Constraint(
        "CHECK (tolerance >= 0)", "The tolerance cannot be negative."
    )
    _min_interval_positive = models.Constraint(
        "CHECK (min_interval_days >= 0)",
        "The number of days between reminders cannot be negative.",
    )
    _promise_grace_positive = models.Constraint(
        "CHECK (promise_grace_days >= 0)",
        "The grace period after a promise cannot be negative.",
    )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("level_ids")
    def _check_formal_notice_last(self):
        for policy in self:
            levels = policy.level_ids.sorted("sequence")
            notices = levels.filtered("formal_notice")
            if notices and notices[-1] != levels[-1]:
                raise ValidationError(
                    self.env._(
                        "In policy %(policy)s, the formal notice must be the last "
                        "level.",
                        policy=policy.display_name,
                    )
                )

    def _dunning_record_rate_warning(self, sentences):
        """Keep the rate problems met by a run on the policy, posted once in
        its chatter: the same warning is not repeated every day."""
        self.ensure_one()
        known = (self.late_payment_warning or "").split("\n")
        new = [text for text in sentences if text not in known]
        if not new:
            return
        self.late_payment_warning = "\n".join(filter(None, [*known, *new]))
        self.message_post(
            body=Markup("<p>%s</p>")
            % Markup("</p><p>").join(
                [self.env._("Late-payment penalties of the reminders:"), *new]
            ),
            subtype_xmlid="mail.mt_note",
        )
