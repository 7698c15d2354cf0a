# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid

from odoo import fields, models
from odoo.tools import SQL


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
