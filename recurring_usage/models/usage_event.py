# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# what the bill run writes on an event when it bills it (by SQL); anything
# else is frozen once the event is billed
BILLING_FIELDS = {"rating_id"}


class UsageEvent(models.Model):
    """One measured fact, sent by a meter or an application.

    Events are never created one ORM call each: files and HTTP batches go
    through ``usage.ingestion`` (COPY into a staging table, then one INSERT …
    ON CONFLICT DO NOTHING). The database refuses a second event with the same
    (company, source, transaction_id); a billed event (``rating_id`` set) is
    locked by the ORM and by a trigger.

    The table is kept narrow for bulk loads and the bill run's claim: no
    create/write uid and date (two foreign keys checked per row; the import
    keeps who loaded what and when), the invoice line read through the
    rating, and one index per way the events are read.
    """

    _name = "usage.event"
    _description = "Usage Event"
    _order = "timestamp desc, id desc"
    _rec_name = "transaction_id"
    _check_company_auto = True
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    contract_id = fields.Many2one(
        "recurring.contract", required=True, readonly=True, index=True
    )
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
    import_id = fields.Many2one("usage.import", readonly=True, index="btree_not_null")
    rating_id = fields.Many2one(
        "usage.rating", readonly=True, ondelete="set null", index="btree_not_null"
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
    # the bill run reads unbilled events per contract line and period
    # (aggregation, claim, late events); the metric and company follow the line
    _unbilled_index = models.Index(
        "(contract_line_id, timestamp) WHERE rating_id IS NULL"
    )
    _line_timestamp_index = models.Index("(contract_line_id, timestamp)")
    _timestamp_brin = models.Index("USING brin (timestamp)")

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

    def init(self):
        """A trigger locks billed events even against raw SQL; two casts that
        give NULL instead of failing check imported rows in one statement."""
        self.env.cr.execute(
            SQL(
                r"""
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
                    IF TG_OP = 'DELETE' THEN
                        IF OLD.rating_id IS NOT NULL THEN
                            RAISE EXCEPTION 'usage event %% is billed', OLD.id;
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF OLD.rating_id IS NOT NULL AND NEW.rating_id IS NOT NULL AND (
                        NEW.quantity IS DISTINCT FROM OLD.quantity
                        OR NEW.timestamp IS DISTINCT FROM OLD.timestamp
                        OR NEW.contract_line_id IS DISTINCT FROM OLD.contract_line_id
                        OR NEW.metric_id IS DISTINCT FROM OLD.metric_id
                        OR NEW.properties::text IS DISTINCT FROM OLD.properties::text
                    ) THEN
                        RAISE EXCEPTION 'usage event %% is billed', OLD.id;
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS usage_event_locked ON %s;
                CREATE TRIGGER usage_event_locked BEFORE UPDATE OR DELETE ON %s
                    FOR EACH ROW WHEN (OLD.rating_id IS NOT NULL)
                    EXECUTE FUNCTION usage_event_locked();
                """,
                SQL.identifier(self._table),
                SQL.identifier(self._table),
            )
        )

    def write(self, vals):
        if set(vals) - BILLING_FIELDS and self.filtered("rating_id"):
            raise UserError(self.env._("A billed usage event cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("rating_id"):
            raise UserError(self.env._("A billed usage event cannot be deleted."))

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
