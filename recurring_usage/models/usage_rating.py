# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from .usage_event import CLAIM_TABLE, create_claim_table


class UsageRating(models.Model):
    """The rated usage of one period of a contract line (per group-by value),
    as billed on one invoice line: the audit trail from the invoice line to
    the events it billed.

    A unique index on (contract line, period start, group) over the period
    ratings makes a second billing of the same usage impossible, whatever runs
    at the same time; corrections (late events) are rows of their own. The
    events a rating bills are claimed in the same transaction (one row each in
    ``usage_event_claim``, whose primary key is the event), and counted
    against ``event_count``.

    ``snapshot_xmin`` (SQL column, set when the rating is inserted) is the
    oldest transaction still running when its bill run read the events:
    every event loaded by an older transaction was seen by that run, so the
    next runs look for late events only among the events loaded since.
    """

    _name = "usage.rating"
    _description = "Rated Usage"
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    _check_company_auto = True

    move_line_id = fields.Many2one(
        "account.move.line", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True)
    contract_line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="restrict", index=True
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id", store=True, index=True
    )
    company_id = fields.Many2one(related="contract_line_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_line_id.partner_id", store=True)
    currency_id = fields.Many2one(related="contract_line_id.currency_id")
    metric_id = fields.Many2one("usage.metric", required=True, ondelete="restrict")
    kind = fields.Selection(
        [
            ("usage", "Usage"),
            ("true_up", "Minimum true-up"),
            ("correction", "Late usage correction"),
            ("prepaid", "Prepaid usage"),
            ("drawdown", "Drawn from prepaid usage"),
        ],
        required=True,
        default="usage",
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    group_key = fields.Char(default="")
    quantity = fields.Float(digits=(20, 6), help="The aggregated quantity.")
    billable_quantity = fields.Float(digits=(20, 6))
    amount = fields.Monetary(
        help="The rated amount (corrections: the difference; prepaid: the amount "
        "billed in advance; drawn from prepaid: what the prepaid amount covers, "
        "negative)."
    )
    breakdown = fields.Text(help="The tiers, as on the invoice line.")
    event_count = fields.Integer(help="Events billed by this rating.")
    event_ids = fields.Many2many(
        "usage.event", compute="_compute_event_ids", string="Events"
    )

    _period_unique = models.UniqueIndex(
        "(contract_line_id, period_start, kind, group_key) "
        "WHERE kind NOT IN ('correction', 'drawdown')",
        "This usage period is already billed.",
    )

    def _compute_event_ids(self):
        events = {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT rating_id, array_agg(event_id ORDER BY event_id)
                      FROM %s WHERE rating_id = ANY(%s) GROUP BY rating_id
                    """,
                    SQL.identifier(CLAIM_TABLE),
                    self.ids,
                )
            )
            events = dict(self.env.cr.fetchall())
        for rated in self:
            rated.event_ids = self.env["usage.event"].browse(events.get(rated.id, []))

    def init(self):
        """The snapshot bound of each rating; a deleted rating (cancelled
        invoice, deleted invoice line) frees its events, also when the
        database deletes it by cascade: they count as loaded now, so that the
        next bill run finds them (again due, or late for a period still
        billed)."""
        create_claim_table(self.env.cr)
        self.env.cr.execute(
            SQL(
                """
                ALTER TABLE %(ratings)s
                    ADD COLUMN IF NOT EXISTS snapshot_xmin xid8
                    DEFAULT pg_snapshot_xmin(pg_current_snapshot());
                CREATE OR REPLACE FUNCTION usage_rating_release() RETURNS trigger AS $$
                BEGIN
                    WITH freed AS (
                        DELETE FROM %(claims)s c USING released r
                         WHERE c.rating_id = r.id
                        RETURNING c.event_id
                    )
                    UPDATE %(events)s e SET ingest_xid = pg_current_xact_id()
                      FROM freed f WHERE e.id = f.event_id;
                    RETURN NULL;
                END $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS usage_rating_release ON %(ratings)s;
                CREATE TRIGGER usage_rating_release AFTER DELETE ON %(ratings)s
                    REFERENCING OLD TABLE AS released
                    FOR EACH STATEMENT EXECUTE FUNCTION usage_rating_release();
                """,
                ratings=SQL.identifier(self._table),
                claims=SQL.identifier(CLAIM_TABLE),
                events=SQL.identifier(self.env["usage.event"]._table),
            )
        )
