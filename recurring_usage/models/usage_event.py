# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# one row per billed event: (event, rating); the primary key bills an event once
CLAIM_TABLE = "usage_event_claim"


def create_claim_table(cr):
    """One narrow row per billed event, no foreign key (the ratings' delete
    trigger removes their claims)."""
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS %(claims)s (
                event_id integer PRIMARY KEY,
                rating_id integer NOT NULL
            );
            CREATE INDEX IF NOT EXISTS usage_event_claim_rating_index
                ON %(claims)s (rating_id);
            """,
            claims=SQL.identifier(CLAIM_TABLE),
        )
    )


class UsageEvent(models.Model):
    """One measured fact, sent by a meter or an application.

    Events are never created one ORM call each: files and HTTP batches go
    through ``usage.ingestion`` (COPY into a staging table, then one INSERT …
    ON CONFLICT DO NOTHING). The database refuses a second event with the same
    (company, source, transaction_id).

    The table is built for bulk loads and the bill run:

    - the model manages its table (``_auto = False``, created in
      :meth:`init`) so that it has no foreign keys: four key checks per loaded
      row halved the load rate. The references are checked by the ingestion's
      SQL (an event names a contract line of its company) and the deletions
      the keys would restrict by the ORM (contract, contract line, metric,
      import);
    - no create/write uid and date (``_log_access = False``; the import record
      keeps who loaded what and when);
    - an event is billed when a row of ``usage_event_claim`` (event, rating)
      names it: the bill run inserts one narrow row per event instead of
      rewriting the event, the primary key of the claim bills an event once,
      and billed events are locked by the ORM and by a trigger;
    - ``ingest_xid`` (the loading transaction) lets the bill run find late
      events among those loaded since its last rating of a line instead of
      reading every event of every billed period.
    """

    _name = "usage.event"
    _description = "Usage Event"
    _order = "timestamp desc, id desc"
    _rec_name = "transaction_id"
    _check_company_auto = True
    _log_access = False
    _auto = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    contract_id = fields.Many2one("recurring.contract", required=True, readonly=True)
    contract_line_id = fields.Many2one(
        "recurring.contract.line", required=True, readonly=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(related="contract_id.partner_id")
    metric_id = fields.Many2one(
        "usage.metric", required=True, readonly=True, ondelete="restrict"
    )
    timestamp = fields.Datetime(required=True, readonly=True)
    quantity = fields.Float(digits=(20, 6), readonly=True)
    properties = fields.Json(readonly=True)
    group_key = fields.Char(
        readonly=True,
        help="The value of the metric's group-by property (priced separately).",
    )
    source = fields.Char(required=True, readonly=True, default="api")
    transaction_id = fields.Char(required=True, readonly=True)
    payload_hash = fields.Char(readonly=True)
    import_id = fields.Many2one("usage.import", readonly=True)
    rating_id = fields.Many2one(
        "usage.rating",
        compute="_compute_rating_id",
        search="_search_rating_id",
        string="Rating",
        help="The rated usage that billed the event.",
    )
    move_line_id = fields.Many2one(
        related="rating_id.move_line_id", string="Invoice line"
    )
    state = fields.Selection(
        [("unbilled", "Unbilled"), ("billed", "Billed")],
        compute="_compute_state",
        search="_search_state",
    )

    _transaction_unique = models.UniqueIndex(
        "(company_id, source, transaction_id)",
        "An event with this transaction id was already received from this source.",
    )
    # the bill run reads the events of a contract line per period
    # (aggregation, claim) from this index alone (an index-only scan once
    # autovacuum has marked the pages visible): the heap holds the events of
    # all customers interleaved, the index one line's events together
    _line_timestamp_index = models.Index(
        "(contract_line_id, timestamp) "
        "INCLUDE (metric_id, group_key, quantity, id, ingest_xid)"
    )
    # late events: loaded since the line's last rating, in a billed period
    _line_xid_index = models.Index("(contract_line_id, ingest_xid, timestamp)")
    _timestamp_brin = models.Index("USING brin (timestamp)")

    # ------------------------------------------------------------------
    # Billed or not: the claims
    # ------------------------------------------------------------------

    def _compute_rating_id(self):
        ratings = {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT event_id, rating_id FROM %s WHERE event_id = ANY(%s)",
                    SQL.identifier(CLAIM_TABLE),
                    self.ids,
                )
            )
            ratings = dict(self.env.cr.fetchall())
        Rating = self.env["usage.rating"]
        for event in self:
            event.rating_id = Rating.browse(ratings.get(event.id))

    def _search_rating_id(self, operator, value):
        """``('rating_id', '=', False)``: unbilled; ``!= False``: billed; or
        the events of given ratings."""
        if operator == "in" and False in value and len(value) == 1:
            return [("id", "not any!", self._claimed_sql())]
        if operator == "not in" and list(value) == [False]:
            return [("id", "any!", self._claimed_sql())]
        if operator == "in":
            ids = [rating_id for rating_id in value if rating_id]
            return [("id", "any!", self._claimed_sql(ids))]
        return NotImplemented

    @api.model
    def _claimed_sql(self, rating_ids=None):
        if rating_ids is None:
            return SQL("SELECT event_id FROM %s", SQL.identifier(CLAIM_TABLE))
        return SQL(
            "SELECT event_id FROM %s WHERE rating_id = ANY(%s)",
            SQL.identifier(CLAIM_TABLE),
            list(rating_ids),
        )

    @api.depends("rating_id")
    def _compute_state(self):
        for event in self:
            event.state = "billed" if event.rating_id else "unbilled"

    def _search_state(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        values = {value} if operator == "=" else set(value)
        if values == {"billed"}:
            return [("rating_id", "!=", False)]
        if values == {"unbilled"}:
            return [("rating_id", "=", False)]
        return []

    # ------------------------------------------------------------------
    # Schema
    # ------------------------------------------------------------------

    def init(self):
        """The table (the ORM's column types, no foreign key) with the loading
        transaction of each event, its indexes, the claims of the bill run, a
        trigger that locks billed events even against raw SQL, and two casts
        that give NULL instead of failing (they check imported rows in one
        statement)."""
        create_claim_table(self.env.cr)
        self.env.cr.execute(
            SQL(
                r"""
                CREATE TABLE IF NOT EXISTS %(events)s (
                    id SERIAL PRIMARY KEY,
                    company_id int4 NOT NULL,
                    contract_id int4 NOT NULL,
                    contract_line_id int4 NOT NULL,
                    metric_id int4 NOT NULL,
                    timestamp timestamp NOT NULL,
                    quantity numeric,
                    properties jsonb,
                    group_key varchar,
                    source varchar NOT NULL,
                    transaction_id varchar NOT NULL,
                    payload_hash varchar,
                    import_id int4
                );
                ALTER TABLE %(events)s
                    ADD COLUMN IF NOT EXISTS ingest_xid xid8
                    DEFAULT pg_current_xact_id();
                CREATE INDEX IF NOT EXISTS usage_event__import_id_index
                    ON %(events)s (import_id) WHERE import_id IS NOT NULL;
                CREATE OR REPLACE FUNCTION usage_to_timestamp(value text)
                RETURNS timestamp AS $$
                BEGIN
                    IF value IS NULL OR value !~ '^\s*\d{4}-\d\d-\d\d' THEN
                        RETURN NULL;
                    END IF;
                    IF value ~ '\d\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|z|[+-]\d\d(:?\d\d)?)\s*$'
                    THEN
                        RETURN value::timestamptz AT TIME ZONE 'UTC';
                    END IF;
                    RETURN value::timestamp;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END $$ LANGUAGE plpgsql IMMUTABLE;
                CREATE OR REPLACE FUNCTION usage_to_jsonb(value text)
                RETURNS jsonb AS $$
                BEGIN
                    RETURN value::jsonb;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END $$ LANGUAGE plpgsql IMMUTABLE;
                CREATE OR REPLACE FUNCTION usage_event_locked() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NOT (
                        NEW.quantity IS DISTINCT FROM OLD.quantity
                        OR NEW.timestamp IS DISTINCT FROM OLD.timestamp
                        OR NEW.contract_line_id IS DISTINCT FROM OLD.contract_line_id
                        OR NEW.metric_id IS DISTINCT FROM OLD.metric_id
                        OR NEW.group_key IS DISTINCT FROM OLD.group_key
                        OR NEW.properties::text IS DISTINCT FROM OLD.properties::text
                    ) THEN
                        RETURN NEW;
                    END IF;
                    IF EXISTS (SELECT 1 FROM usage_event_claim
                                WHERE event_id = OLD.id) THEN
                        RAISE EXCEPTION 'usage event %% is billed', OLD.id;
                    END IF;
                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS usage_event_locked ON %(events)s;
                CREATE TRIGGER usage_event_locked BEFORE UPDATE OR DELETE
                    ON %(events)s FOR EACH ROW EXECUTE FUNCTION usage_event_locked();
                """,
                events=SQL.identifier(self._table),
            )
        )
        self._add_sql_constraints()

    def write(self, vals):
        if self.filtered("rating_id"):
            raise UserError(self.env._("A billed usage event cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("rating_id"):
            raise UserError(self.env._("A billed usage event cannot be deleted."))

    @api.model
    def _check_no_events(self, field_name, records, message):
        """Refuse to delete ``records`` (contracts, contract lines, metrics)
        that events refer to: the database has no foreign key to do it."""
        if records and self.sudo().search_count(
            [(field_name, "in", records.ids)], limit=1
        ):
            raise UserError(message)

    # ------------------------------------------------------------------
    # External API (JSON-2: POST /json/2/usage.event/ingest_batch)
    # ------------------------------------------------------------------

    @api.model
    def ingest_batch(self, events, source="api"):
        """Store a batch of events whole or not at all.

        :param events: list of dicts ``contract``, ``metric``, ``timestamp``
            (ISO 8601, UTC unless an offset is given), ``quantity``,
            ``transaction_id`` and optional ``properties`` (dict)
        :param source: the sender's name, part of the idempotency key
        :return: the report: ``accepted``, ``duplicates``, ``conflicts``,
            ``invalid`` (each row with its ``line`` number and ``reason``),
            ``stored`` (False when the batch was refused)
        """
        return self.env["usage.ingestion"]._ingest_batch(events, source)
