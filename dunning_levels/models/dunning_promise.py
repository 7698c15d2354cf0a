# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningPromise(models.Model):
    """A customer promised to pay by a date: no reminder until then."""

    _name = "dunning.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Promised payment date", required=True, tracking=True)
    amount = fields.Monetary(string="Promised amount", currency_field="currency_id")
    note = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken")],
        default="open",
        required=True,
        tracking=True,
    )

    _amount_positive = models.Constraint(
        "CHECK (amount >= 0)", "The promised amount cannot be negative."
    )

    @api.model
    def _record(self, partner, company, date, amount, note):
        partner = partner.commercial_partner_id
        promise = self.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": date,
                "amount": amount,
                "note": note,
            }
        )
        partner.sudo().message_post(
            body=self.env._(
                "Promise to pay %(amount)s by %(date)s: no reminder until then.",
                amount=promise.amount,
                date=promise.date,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return promise

    @api.model
    def _settle(self, company, on_date, overdue_partner_ids):
        """Close the promises whose date (plus grace) has passed: kept when
        nothing is overdue any more, broken otherwise."""
        expired = self.search([("company_id", "=", company.id), ("state", "=", "open")])
        for promise in expired:
            policy = (
                promise.partner_id.with_company(company).dunning_policy_id
                or company.dunning_policy_id
            )
            grace = policy.promise_grace_days if policy else 0
            if (on_date - promise.date).days <= grace:
                continue
            promise.state = (
                "broken" if promise.partner_id.id in overdue_partner_ids else "kept"
            )
