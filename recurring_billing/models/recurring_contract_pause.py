# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecurringContractPause(models.Model):
    """Days a contract is not billed: from the first paused day to the day
    before it resumes (open-ended while no resume date is known)."""

    _name = "recurring.contract.pause"
    _description = "Contract Pause"
    _order = "date_start desc, id desc"

    contract_id = fields.Many2one(
        "recurring.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    date_start = fields.Date(string="Paused from", required=True)
    date_end = fields.Date(
        string="Resumes on",
        help="First day billed again; empty while the resume date is unknown.",
    )
    reason = fields.Char(required=True)

    _dates_order = models.Constraint(
        "CHECK (date_end IS NULL OR date_end > date_start)",
        "A pause must resume after it starts.",
    )

    @api.constrains("date_start", "date_end", "contract_id")
    def _check_no_overlap(self):
        for pause in self:
            others = pause.contract_id.pause_ids - pause
            for other in others:
                ends_after_start = (
                    not other.date_end or other.date_end > pause.date_start
                )
                starts_before_end = (
                    not pause.date_end or other.date_start < pause.date_end
                )
                if ends_after_start and starts_before_end:
                    raise ValidationError(
                        self.env._(
                            "Contract %(contract)s already has a pause over these "
                            "dates.",
                            contract=pause.contract_id.display_name,
                        )
                    )
