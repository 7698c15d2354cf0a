# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

INSERTED = (
    "run_customer_id",
    "move_id",
    "kind",
    "name",
    "invoice_date",
    "due_date",
    "days_late",
    "currency_id",
    "residual",
    "disputed_amount",
    "amount_due",
    "penalty",
    "indemnity",
    "level_sequence",
    "new_action",
)


def insert_rows(env, table, columns, rows):
    """``INSERT INTO table (columns, create/write uid and date) VALUES rows
    RETURNING id`` in one query (rows: sequences of values in ``columns``
    order, ready for the database); returns the new ids in row order."""
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                "INSERT INTO %s (%s, create_uid, write_uid, create_date, "
                "write_date) VALUES %s RETURNING id",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, now() AT TIME ZONE 'UTC', "
                        "now() AT TIME ZONE 'UTC')",
                        SQL(", ".join(["%s"] * len(columns)), *row),
                        env.uid,
                        env.uid,
                    )
                    for row in rows
                ),
            )
        )
    ]


class DunningRunLine(models.Model):
    """An item listed in a reminder: an open invoice or a netted credit."""

    _name = "dunning.run.line"
    _description = "Dunning Reminder Line"
    _order = "run_customer_id, kind, due_date, id"

    run_customer_id = fields.Many2one(
        "dunning.run.customer", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one("account.move", string="Document", required=True)
    kind = fields.Selection(
        [
            ("invoice", "Invoice"),
            ("credit_note", "Credit note"),
            ("payment", "Payment"),
        ],
        required=True,
    )
    name = fields.Char(string="Number")
    invoice_date = fields.Date()
    due_date = fields.Date()
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    residual = fields.Monetary(string="Open amount")
    disputed_amount = fields.Monetary()
    amount_due = fields.Monetary(
        help="Open amount minus the disputed part; for a credit, the amount "
        "netted (negative)."
    )
    penalty = fields.Monetary(string="Penalties")
    indemnity = fields.Monetary()
    level_sequence = fields.Integer(
        string="Level reached", help="The level this invoice's own lateness reached."
    )
    new_action = fields.Boolean(
        help="This invoice receives the level of the reminder for the first time."
    )

    @api.model
    def _insert(self, rows):
        """Insert the lines of a batch of reminders in one query.

        A reminder lists every open item of the customer: a run writes five
        or more lines per customer, and the ORM's ``create`` (currency
        rounding of each amount, cache updates) would cost more than the
        evaluation itself. The amounts come already rounded from the engine;
        nothing computes on these rows.
        """
        if not rows:
            return
        self.check_access("create")
        insert_rows(
            self.env,
            self._table,
            INSERTED,
            [[row.get(name) for name in INSERTED] for row in rows],
        )
        self.invalidate_model()
        self.env["dunning.run.customer"].invalidate_model(["line_ids"])
