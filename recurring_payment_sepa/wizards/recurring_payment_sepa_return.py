# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class RecurringPaymentSepaReturn(models.TransientModel):
    """Record the bank's return of direct debits (thin: the attempts do it)."""

    _name = "recurring.payment.sepa.return"
    _description = "Direct debit return"

    attempt_ids = fields.Many2many(
        "recurring.payment.attempt", string="Debits", required=True
    )
    # the codes of tools/returns.py RETURN_KINDS (layer 1 checks it)
    reason_code = fields.Selection(
        [
            ("AC01", "AC01 - Incorrect account number"),
            ("AC04", "AC04 - Closed account number"),
            ("AC06", "AC06 - Blocked account"),
            ("AC13", "AC13 - Invalid debtor account type"),
            ("AG01", "AG01 - Transaction forbidden on this account"),
            ("AG02", "AG02 - Invalid bank operation code"),
            ("AM04", "AM04 - Insufficient funds"),
            ("AM05", "AM05 - Duplicate collection"),
            ("BE05", "BE05 - Unrecognised initiating party"),
            ("CNOR", "CNOR - Creditor bank is not registered"),
            ("DNOR", "DNOR - Debtor bank is not registered"),
            ("FF01", "FF01 - Invalid file format"),
            ("MD01", "MD01 - No valid mandate"),
            ("MD02", "MD02 - Missing or wrong mandate data"),
            ("MD06", "MD06 - Refund request by the debtor"),
            ("MD07", "MD07 - Debtor deceased"),
            ("MS02", "MS02 - Refused by the debtor"),
            ("MS03", "MS03 - Reason not specified"),
            ("RC01", "RC01 - Bank identifier incorrect"),
            ("RR01", "RR01 - Missing debtor account or identification"),
            ("RR02", "RR02 - Missing debtor name or address"),
            ("RR03", "RR03 - Missing creditor name or address"),
            ("RR04", "RR04 - Regulatory reason"),
            ("SL01", "SL01 - Specific service offered by the debtor bank"),
        ],
        string="Return reason",
        required=True,
    )
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "recurring.payment.attempt":
            values["attempt_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        attempts = self.attempt_ids
        if attempts.filtered(
            lambda attempt: not attempt.mandate_id or attempt.state != "done"
        ):
            raise UserError(
                self.env._(
                    "Only direct debits of an uploaded payment order can be "
                    "returned by the bank."
                )
            )
        # the attempts are written by the collection, not by accountants
        attempts.sudo()._sepa_record_return(self.reason_code, self.note or "")
        return {"type": "ir.actions.act_window_close"}
