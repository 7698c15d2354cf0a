# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import schedule


class ResCompany(models.Model):
    _inherit = "res.company"

    recurring_payment_retry_days = fields.Char(
        string="Retry schedule",
        default="3, 7, 14",
        help="Days after the first attempt on which a failed automatic payment "
        "is tried again, separated by commas. Empty: no retry.",
    )
    recurring_payment_notice_days = fields.Integer(
        string="Pre-notification lead time",
        default=schedule.DEFAULT_NOTICE_DAYS,
        help="Days between the invoice (which tells the customer the amount and "
        "the date) and a direct debit: the debit is never requested earlier.",
    )

    @api.constrains("recurring_payment_retry_days", "recurring_payment_notice_days")
    def _check_recurring_payment_schedule(self):
        for company in self:
            try:
                schedule.parse_retry_days(company.recurring_payment_retry_days)
            except schedule.ScheduleError:
                raise ValidationError(
                    self.env._(
                        "The retry schedule must list whole days after the first "
                        "attempt, increasing, separated by commas (e.g. 3, 7, 14)."
                    )
                ) from None
            if company.recurring_payment_notice_days < 0:
                raise ValidationError(
                    self.env._("The pre-notification lead time cannot be negative.")
                )

    def _recurring_payment_retry_days(self):
        self.ensure_one()
        return schedule.parse_retry_days(self.recurring_payment_retry_days)
