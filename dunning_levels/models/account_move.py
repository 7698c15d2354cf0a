# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid
from decimal import Decimal

from odoo import fields, models
from odoo.tools import SQL, format_amount, formatLang


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "dunning.level",
        string="Dunning level",
        readonly=True,
        copy=False,
        help="The last dunning level sent for this invoice.",
    )
    dunning_last_date = fields.Date(string="Last reminder", readonly=True, copy=False)
    dunning_excluded = fields.Boolean(
        string="No payment reminder",
        copy=False,
        tracking=True,
        help="Leave this invoice out of the payment reminders.",
    )
    dunning_direct_debit = fields.Boolean(
        string="In a pending direct debit",
        copy=False,
        help="The invoice is collected by a direct debit not yet settled: it is "
        "not reminded until the debit is settled or rejected.",
    )
    dunning_charge_move_id = fields.Many2one(
        "account.move",
        string="Charges invoice",
        readonly=True,
        copy=False,
        help="The debit invoice that charged the penalties and the indemnity of "
        "this invoice.",
    )

    def _get_late_payment_mentions(self):
        """The L441-9 I mentions of this invoice's PDF, worded in the current
        language, or None.

        Customer invoices of companies under French law only. The mentions
        state the rule (ECB main refinancing rate + 10 points, or the
        contractual rate; the €40 indemnity), with the rate of the half-year
        of the invoice date when it is known: they never wait for the rate
        table. The indemnity is always in euros (D441-5).
        """
        self.ensure_one()
        company = self.company_id
        if self.move_type != "out_invoice" or not company._dunning_french_law():
            return None
        day = self.invoice_date or fields.Date.context_today(self)
        terms = company._get_late_payment_terms(day)
        rate = terms["penalty_rate"]
        floored = company.late_payment_rate_type == "contract" and (
            rate > Decimal(str(company.late_payment_rate))
        )
        if floored:
            penalties = self.env._(
                "Late-payment penalties are due from the day after the due date, "
                "without any reminder, at the annual rate of %(rate)s %%, the legal "
                "minimum of three times the legal interest rate.",
                rate=formatLang(self.env, float(rate), digits=2),
            )
        elif company.late_payment_rate_type == "contract":
            penalties = self.env._(
                "Late-payment penalties are due from the day after the due date, "
                "without any reminder, at the contractual annual rate of "
                "%(rate)s %%.",
                rate=formatLang(self.env, float(rate), digits=2),
            )
        elif rate is None:
            penalties = self.env._(
                "Late-payment penalties are due from the day after the due date, "
                "without any reminder, at the European Central Bank's main "
                "refinancing rate plus 10 percentage points."
            )
        else:
            penalties = self.env._(
                "Late-payment penalties are due from the day after the due date, "
                "without any reminder, at the European Central Bank's main "
                "refinancing rate plus 10 percentage points (%(rate)s %% for the "
                "half-year of the invoice date).",
                rate=formatLang(self.env, float(rate), digits=2),
            )
        discount = terms["early_payment_discount"]
        return {
            "early_payment_discount": self.env._(
                "Early-payment discount: %(terms)s", terms=discount
            )
            if discount
            else self.env._("No discount for early payment."),
            "late_payment_penalties": penalties,
            "recovery_indemnity": self.env._(
                "Fixed indemnity for recovery costs in case of late payment: "
                "%(amount)s (Code de commerce, articles L441-10 and D441-5).",
                amount=format_amount(
                    self.env,
                    float(terms["indemnity"]),
                    company.late_payment_indemnity_currency_id,
                ),
            ),
        }

    def _dunning_payment_url(self):
        """The portal page of the invoice, where the customer can pay it."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def _dunning_ensure_access_tokens(self):
        """Give the invoices their portal access token in one query.

        ``_portal_ensure_token`` writes each invoice on its own, and a write on
        ``account.move`` re-synchronises its lines: far too slow for a run.
        The token is a plain technical column with no logic attached.
        """
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        missing.flush_recordset(["access_token"])
        values = SQL(", ").join(
            SQL("(%s, %s)", move.id, str(uuid.uuid4())) for move in missing
        )
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET access_token = v.token "
                "FROM (VALUES %s) AS v(id, token) WHERE account_move.id = v.id",
                values,
            )
        )
        missing.invalidate_recordset(["access_token"])

    def action_dunning_dispute(self):
        return self.env["dunning.dispute.wizard"]._action_open(
            self.commercial_partner_id[:1], self
        )
