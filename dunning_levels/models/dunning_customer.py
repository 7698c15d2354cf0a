# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningCustomer(models.Model):
    """Where a customer stands in dunning, per company (the kanban card).

    One row per commercial partner × company, refreshed by every run.
    """

    _name = "dunning.customer"
    _description = "Customer in Dunning"
    _order = "level_sequence desc, amount_overdue desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    policy_id = fields.Many2one("dunning.policy", ondelete="set null")
    level_id = fields.Many2one(
        "dunning.level",
        string="Level",
        ondelete="set null",
        group_expand="_read_group_level_id",
        index=True,
    )
    level_sequence = fields.Integer(
        string="Level number", related="level_id.sequence", store=True
    )
    amount_overdue = fields.Monetary(
        string="Overdue", help="Net overdue amount, in the company currency."
    )
    oldest_due_date = fields.Date(string="Oldest due date")
    last_action_date = fields.Date(string="Last reminder")
    last_level_id = fields.Many2one("dunning.level", string="Last level sent")
    next_action_date = fields.Date(string="Next action")
    state = fields.Selection(
        [
            ("ok", "Nothing overdue"),
            ("chased", "Chased"),
            ("skipped", "On hold"),
            ("error", "Error"),
        ],
        default="ok",
        required=True,
    )
    skip_reason = fields.Selection(
        selection=lambda self: self.env["dunning.run.customer"]
        ._fields["skip_reason"]
        ._description_selection(self.env),
    )
    last_run_customer_id = fields.Many2one(
        "dunning.run.customer", string="Last reminder detail", ondelete="set null"
    )
    color = fields.Integer(compute="_compute_color")
    # The open failure of this customer in the runs, reported once (one
    # message and one activity on the customer) and closed when a run next
    # gets through it (dunning.send, "FAILURES").
    error = fields.Text(string="Last error", readonly=True)
    error_count = fields.Integer(string="Failures in a row", readonly=True)
    error_since = fields.Datetime(string="Failing since", readonly=True)
    error_message_id = fields.Many2one(
        "mail.message", string="Failure message", readonly=True, ondelete="set null"
    )
    error_activity_id = fields.Many2one(
        "mail.activity", string="Failure activity", readonly=True, ondelete="set null"
    )

    _partner_company_unique = models.Constraint(
        "UNIQUE (partner_id, company_id)",
        "A customer has one dunning state per company.",
    )

    @api.model
    def _read_group_level_id(self, levels, domain):
        company_ids = self.env.companies.ids
        return self.env["dunning.level"].search(
            [("company_id", "in", company_ids), ("policy_id.active", "=", True)]
        )

    @api.depends("state")
    def _compute_color(self):
        colors = {"ok": 10, "chased": 2, "skipped": 4, "error": 1}
        for customer in self:
            customer.color = colors.get(customer.state, 0)

    @api.model
    def _refresh(self, run, results, run_customers):
        """Update the cards of the customers of ``results`` after a run batch."""
        company = run.company_id
        by_partner = {rc.partner_id.id: rc for rc in run_customers}
        existing = {
            card.partner_id.id: card
            for card in self.search(
                [("company_id", "=", company.id), ("partner_id", "in", list(results))]
            )
        }
        to_create = []
        for partner_id, result in results.items():
            run_customer = by_partner.get(partner_id)
            card = existing.get(partner_id)
            values = self._card_values(result, run_customer)
            if card:
                card.write(values)
            elif values["state"] != "ok":
                to_create.append(
                    values | {"partner_id": partner_id, "company_id": company.id}
                )
            if values["state"] == "ok":
                self.env["res.partner"].sudo().browse(partner_id)._dunning_unblock()
        self.create(to_create)

    @api.model
    def _card_values(self, result, run_customer):
        evaluation = result["evaluation"]
        values = {
            "policy_id": result["policy"].id,
            "next_action_date": result["next_date"],
            "skip_reason": False,
        }
        if result["error"]:
            return values | {"state": "error"}
        if not run_customer or evaluation is None:
            if result["reason"] in ("manual_pause",):
                return values | {"state": "skipped", "skip_reason": result["reason"]}
            return values | {
                "state": "ok",
                "level_id": False,
                "amount_overdue": 0.0,
                "oldest_due_date": False,
                "next_action_date": False,
                "last_run_customer_id": False,
            }
        values |= {
            "level_id": run_customer.level_id.id,
            "amount_overdue": run_customer.amount_overdue,
            "oldest_due_date": run_customer.oldest_due_date,
            "last_run_customer_id": run_customer.id,
        }
        if run_customer.state == "skipped":
            reminded = run_customer.skip_reason in ("min_interval", "nothing_new")
            return values | {
                "state": "chased" if reminded else "skipped",
                "skip_reason": run_customer.skip_reason,
            }
        if run_customer.state == "sent":
            values |= {
                "last_action_date": run_customer.date,
                "last_level_id": run_customer.level_id.id,
            }
        return values | {
            "state": "error" if run_customer.state == "error" else "chased"
        }

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
