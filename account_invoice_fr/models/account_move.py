# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import format_amount, formatLang


class AccountMove(models.Model):
    _inherit = "account.move"

    buyer_reference = fields.Char(
        copy=False,
        help="Reference the buyer asked for on its invoices (EN 16931 BT-10; "
        "the service code on Chorus Pro).",
    )
    purchase_order_reference = fields.Char(
        string="Purchase order",
        copy=False,
        help="The buyer's purchase order reference (EN 16931 BT-13).",
    )
    service_start_date = fields.Date(
        string="Billing period from",
        compute="_compute_service_period",
        help="The earliest service start of the invoice lines (EN 16931 BT-73).",
    )
    service_end_date = fields.Date(
        string="Billing period to",
        compute="_compute_service_period",
        help="The latest service end of the invoice lines (EN 16931 BT-74).",
    )

    @api.depends(
        "invoice_line_ids.service_start_date", "invoice_line_ids.service_end_date"
    )
    def _compute_service_period(self):
        for move in self:
            lines = move.invoice_line_ids.filtered(
                lambda line: line.service_start_date and line.service_end_date
            )
            move.service_start_date = min(
                lines.mapped("service_start_date"), default=False
            )
            move.service_end_date = max(lines.mapped("service_end_date"), default=False)

    def _get_pending_collection_moves(self):
        """The invoices of ``self`` whose payment is being collected
        automatically (a charge or a direct debit scheduled or not yet
        settled): payment reminders leave them alone.

        None here; a collection addon (``recurring_payment``) extends it, so
        that dunning reads the state without depending on that addon.
        """
        return self.browse()

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
        if self.move_type != "out_invoice" or not company._invoices_under_french_law():
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
