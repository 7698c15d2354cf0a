# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io
import json
import logging

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# columns a file may carry (CSV header, JSON keys), in staging order
COLUMNS = (
    "contract",
    "metric",
    "timestamp",
    "quantity",
    "transaction_id",
    "properties",
)
# memory for the sorts and hashes of the checks (SET LOCAL: this transaction)
WORK_MEM = "256MB"
# rows listed in a report (the counts are always complete)
REPORT_ROWS = 1000
# one raw line per row: no quote or delimiter character can occur in text
RAW_COPY = "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'"
NUMBER = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
# a timestamp starts with an ISO 8601 date; it is cast directly (a value
# PostgreSQL cannot read, 2026-02-30, makes the statement fail: it is run
# again with the slower cast that gives NULL)
ISO_DATE = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}"


class UsageIngestion(models.AbstractModel):
    """Loads usage events in bulk, idempotently, whole or not at all.

    Rows go through PostgreSQL ``COPY`` into a temporary staging table, are
    checked in SQL (one statement resolves contracts, metrics and usage lines
    and gives each bad row its reason), classified against the events already
    stored (same payload: duplicate; another payload under the same
    transaction id: conflict), then inserted with ``INSERT … ON CONFLICT DO
    NOTHING`` in the caller's transaction. With ``strict`` (the default, and
    always for HTTP batches), one invalid or conflicting row refuses the whole
    batch.
    """

    _name = "usage.ingestion"
    _description = "Usage Event Ingestion"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _ingest_batch(self, events, source="api"):
        """A batch of event dicts (HTTP endpoint, JSON-2): strict."""
        if not isinstance(events, list):
            raise UserError(self.env._("The events must be a list."))
        data = io.BytesIO(
            b"".join(
                json.dumps(event, default=str).encode() + b"\n" for event in events
            )
        )
        return self._ingest(data, "jsonl", source, strict=True)

    @api.model
    def _ingest(self, stream, file_format, source, strict=True, import_id=None):
        """Load ``stream`` (binary file object) of ``file_format`` (``csv`` or
        ``jsonl``) from ``source``. Returns the report (see
        ``usage.event.ingest_batch``)."""
        self.env["usage.event"].check_access("create")
        source = (source or "").strip()
        if not source:
            raise UserError(self.env._("Say which source the events come from."))
        self.env.flush_all()
        cr = self.env.cr
        self._create_staging()
        if file_format == "csv":
            offset = self._copy_csv(stream)
        elif file_format == "jsonl":
            offset = self._copy_jsonl(stream)
        else:
            raise UserError(
                self.env._("Unknown file format %(format)s.", format=file_format)
            )
        cr.execute(SQL("ANALYZE usage_staging"))
        self._check_rows(offset, source, file_format == "jsonl")
        cr.execute(SQL("SELECT status, count(*) FROM usage_checked GROUP BY status"))
        counts = dict(cr.fetchall())
        report = {
            "source": source,
            "rows": sum(counts.values()),
            "new": counts.get("new", 0),
            "duplicates": counts.get("duplicate", 0),
            "conflicts": counts.get("conflict", 0),
            "invalid": counts.get("invalid", 0),
            "accepted": 0,
            "stored": False,
        }
        if not (strict and (report["invalid"] or report["conflicts"])):
            report["accepted"] = self._insert_new(source, import_id)
            # a concurrent sender stored some of them first: duplicates now
            report["duplicates"] += report["new"] - report["accepted"]
            report["stored"] = True
        report["errors"] = self._report_rows()
        cr.execute(
            SQL(
                """
                DROP TABLE usage_checked, usage_lines, usage_contracts, usage_staging;
                SET LOCAL work_mem TO DEFAULT;
                SET LOCAL jit TO DEFAULT;
                SET LOCAL TimeZone TO DEFAULT;
                """
            )
        )
        return report

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    @api.model
    def _create_staging(self):
        """The staging table; the checks sort and hash the whole file: they
        get the memory for it, and no JIT (seconds of compilation for one
        pass over the rows) in this transaction."""
        self.env.cr.execute(
            SQL(
                """
                SET LOCAL work_mem = %s;
                SET LOCAL jit = off;
                SET LOCAL TimeZone = 'UTC';
                DROP TABLE IF EXISTS usage_checked;
                DROP TABLE IF EXISTS usage_lines;
                DROP TABLE IF EXISTS usage_contracts;
                DROP TABLE IF EXISTS usage_staging;
                CREATE TEMP TABLE usage_staging (
                    line_no bigint GENERATED ALWAYS AS IDENTITY,
                    raw text,
                    contract text,
                    metric text,
                    timestamp text,
                    quantity text,
                    transaction_id text,
                    properties text
                ) ON COMMIT DROP
                """,
                WORK_MEM,
            )
        )

    @api.model
    def _copy_csv(self, stream):
        """COPY a CSV file with a header naming its columns (any order)."""
        header_line = stream.readline().decode("utf-8-sig")
        header = [name.strip().lower() for name in next(csv.reader([header_line]))]
        unknown = [name for name in header if name not in COLUMNS]
        if unknown or not header:
            raise UserError(
                self.env._(
                    "Unknown columns %(columns)s: a usage file has the columns "
                    "%(expected)s.",
                    columns=", ".join(unknown) or "-",
                    expected=", ".join(COLUMNS),
                )
            )
        columns = SQL(", ").join(SQL.identifier(name) for name in header)
        query = SQL("COPY usage_staging (%s) FROM STDIN WITH (FORMAT csv)", columns)
        self.env.cr.copy_expert(self.env.cr.mogrify(query.code).decode(), stream)
        return 1  # the header is line 1

    @api.model
    def _copy_jsonl(self, stream):
        """COPY JSON lines raw: the checks split them into columns."""
        self.env.cr.copy_expert(
            f"COPY usage_staging (raw) FROM STDIN WITH ({RAW_COPY})", stream
        )
        return 0

    @api.model
    def _check_rows(self, offset, source, jsonl):
        """One statement checks and classifies every row into
        ``usage_checked``. The fast casts (``::jsonb``, ``::timestamp``) fail
        the statement on a malformed value: it is then run again with the
        casts that give NULL (a PL/pgSQL exception block per row, slower)."""
        fast = {
            # the session's time zone is UTC (set with the staging table)
            "timestamp": SQL(
                """
                CASE WHEN s.timestamp ~ %s
                  THEN s.timestamp::timestamptz AT TIME ZONE 'UTC' END
                """,
                ISO_DATE,
            ),
            "jsonb": lambda value: SQL("(%s)::jsonb", value),
        }
        safe = {
            "timestamp": SQL("usage_to_timestamp(s.timestamp)"),
            "jsonb": lambda value: SQL("usage_to_jsonb(%s)", value),
        }
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self._check_rows_with(offset, source, jsonl, fast)
        except psycopg2.DataError:
            self._check_rows_with(offset, source, jsonl, safe)

    @api.model
    def _staging_rows_sql(self, jsonl, casts):
        """The staging rows as columns (JSON lines: split in SQL)."""
        if not jsonl:
            return SQL("SELECT * FROM usage_staging")
        return SQL(
            """
            SELECT s.line_no, s.raw,
                   j.value ->> 'contract' AS contract,
                   j.value ->> 'metric' AS metric,
                   j.value ->> 'timestamp' AS timestamp,
                   j.value ->> 'quantity' AS quantity,
                   j.value ->> 'transaction_id' AS transaction_id,
                   (j.value -> 'properties')::text AS properties
              FROM usage_staging s
             CROSS JOIN LATERAL (
                SELECT CASE WHEN trim(s.raw) != '' THEN %s END AS parsed
             ) r
             CROSS JOIN LATERAL (
                SELECT CASE WHEN jsonb_typeof(r.parsed) = 'object'
                            THEN r.parsed END AS value
             ) j
            """,
            casts["jsonb"](SQL("s.raw")),
        )

    @api.model
    def _check_rows_with(self, offset, source, jsonl, casts):
        """Resolve contracts, metrics and usage lines, give each bad row its
        reason, then classify the good ones: the same transaction id earlier
        in the file or in the database is a duplicate when the payload is the
        same, a conflict otherwise. The rest is new."""
        cr = self.env.cr
        companies = self.env.companies.ids
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE usage_contracts ON COMMIT DROP AS
                SELECT DISTINCT ON (n.contract) n.contract, c.id, c.company_id
                  FROM (SELECT DISTINCT contract FROM (%(rows)s) r) n
                  JOIN recurring_contract c ON c.name = n.contract
                 ORDER BY n.contract, (c.company_id = ANY(%(companies)s)) DESC, c.id;
                CREATE TEMP TABLE usage_lines ON COMMIT DROP AS
                SELECT DISTINCT ON (l.contract_id, l.usage_metric_id)
                       l.contract_id, l.usage_metric_id, l.id
                  FROM recurring_contract_line l
                  JOIN usage_contracts c ON c.id = l.contract_id
                 WHERE l.usage_metric_id IS NOT NULL
                 ORDER BY l.contract_id, l.usage_metric_id, l.sequence, l.id;
                ANALYZE usage_contracts;
                ANALYZE usage_lines;
                CREATE TEMP TABLE usage_checked ON COMMIT DROP AS
                WITH checked AS MATERIALIZED (
                SELECT s.line_no + %(offset)s AS line_no,
                       s.transaction_id,
                       c.company_id, c.id AS contract_id, m.id AS metric_id,
                       l.id AS line_id, v.ts, v.qty, v.props,
                       CASE WHEN m.group_by_property IS NOT NULL
                            THEN COALESCE(v.props ->> m.group_by_property, '')
                            ELSE '' END AS group_key,
                       md5(concat_ws('|', l.id, m.id, v.ts, trim_scale(v.qty),
                                     v.props::text)) AS payload_hash,
                       CASE
                         WHEN s.raw IS NOT NULL AND s.contract IS NULL
                              AND s.transaction_id IS NULL THEN 'bad_json'
                         WHEN COALESCE(trim(s.transaction_id), '') = ''
                           THEN 'no_transaction'
                         WHEN c.id IS NULL THEN 'unknown_contract'
                         WHEN NOT c.company_id = ANY(%(companies)s)
                           THEN 'foreign_company'
                         WHEN m.id IS NULL THEN 'unknown_metric'
                         WHEN l.id IS NULL THEN 'no_usage_line'
                         WHEN v.ts IS NULL THEN 'bad_timestamp'
                         WHEN v.qty IS NULL THEN 'bad_quantity'
                         WHEN s.properties IS NOT NULL AND s.properties != 'null'
                              AND jsonb_typeof(v.props) IS DISTINCT FROM 'object'
                           THEN 'bad_properties'
                         WHEN co.usage_late_policy = 'refuse' AND EXISTS (
                              SELECT 1 FROM recurring_period p
                               WHERE p.contract_line_id = l.id
                                 AND p.state != 'cancelled'
                                 AND v.ts::date BETWEEN p.period_start
                                                    AND p.period_end)
                           THEN 'period_billed'
                       END AS reason
                  FROM (%(rows)s) s
                  LEFT JOIN usage_contracts c ON c.contract = s.contract
                  LEFT JOIN res_company co ON co.id = c.company_id
                  LEFT JOIN usage_metric m
                         ON m.code = s.metric AND m.company_id = c.company_id
                        AND m.active
                  LEFT JOIN usage_lines l
                         ON l.contract_id = c.id AND l.usage_metric_id = m.id
                  CROSS JOIN LATERAL (
                    SELECT %(timestamp)s AS ts,
                           CASE WHEN s.quantity IS NULL OR s.quantity = ''
                                  THEN 1::numeric
                                WHEN s.quantity ~ %(number)s
                                  THEN s.quantity::numeric END AS qty,
                           CASE WHEN s.properties IS NULL OR s.properties = ''
                                  THEN NULL
                                ELSE %(props)s END AS props
                    OFFSET 0  -- each cast once per row, not once per use
                  ) v
                 WHERE s.raw IS NULL OR trim(s.raw) != ''
                ), ranked AS (
                SELECT k.*,
                       row_number() OVER w AS rank,
                       first_value(k.payload_hash) OVER w AS first_hash
                  FROM checked k
                WINDOW w AS (PARTITION BY k.reason IS NULL, k.company_id,
                                          k.transaction_id
                             ORDER BY k.line_no)
                )
                SELECT k.line_no, k.transaction_id, k.company_id, k.contract_id,
                       k.metric_id, k.line_id, k.ts, k.qty, k.props, k.group_key,
                       k.payload_hash,
                       CASE WHEN k.reason IS NOT NULL THEN 'invalid'
                            WHEN k.rank > 1 AND k.payload_hash = k.first_hash
                              THEN 'duplicate'
                            WHEN k.rank > 1 THEN 'conflict'
                            WHEN e.id IS NULL THEN 'new'
                            WHEN e.payload_hash = k.payload_hash THEN 'duplicate'
                            ELSE 'conflict' END AS status,
                       CASE WHEN k.reason IS NOT NULL THEN k.reason
                            WHEN k.rank > 1 AND k.payload_hash = k.first_hash
                              THEN 'duplicate'
                            WHEN k.rank > 1 THEN 'conflict_in_file'
                            WHEN e.id IS NULL THEN NULL
                            WHEN e.payload_hash = k.payload_hash THEN 'duplicate'
                            ELSE 'conflict' END AS reason
                  FROM ranked k
                  -- one probe of the unique index per row (LIMIT keeps the
                  -- planner from turning it into a scan of the whole table):
                  -- the cost follows the file, not the table
                  LEFT JOIN LATERAL (
                    SELECT e.id, e.payload_hash FROM usage_event e
                     WHERE k.reason IS NULL AND k.rank = 1
                       AND e.company_id = k.company_id
                       AND e.source = %(source)s
                       AND e.transaction_id = k.transaction_id
                     LIMIT 1
                  ) e ON true
                """,
                rows=self._staging_rows_sql(jsonl, casts),
                companies=companies,
                offset=offset,
                number=NUMBER,
                timestamp=casts["timestamp"],
                props=casts["jsonb"](SQL("s.properties")),
                source=source,
            )
        )

    @api.model
    def _insert_new(self, source, import_id):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO usage_event (
                    company_id, contract_id, contract_line_id, metric_id,
                    timestamp, quantity, properties, group_key, source,
                    transaction_id, payload_hash, import_id)
                SELECT company_id, contract_id, line_id, metric_id, ts, qty, props,
                       group_key, %(source)s, transaction_id, payload_hash,
                       %(import_id)s
                  FROM usage_checked
                 WHERE status = 'new'
                 -- a line's events side by side: the indexes the bill run reads
                 -- (by line) are filled in order, and so are the table's pages
                 ORDER BY line_id, ts
                ON CONFLICT (company_id, source, transaction_id) DO NOTHING
                """,
                source=source,
                import_id=import_id,
            )
        )
        accepted = cr.rowcount
        self.env["usage.event"].invalidate_model()
        return accepted

    @api.model
    def _report_rows(self):
        """The first invalid and conflicting rows, with their reason."""
        self.env.cr.execute(
            SQL(
                """
                SELECT line_no, transaction_id, reason FROM usage_checked
                 WHERE status IN ('invalid', 'conflict')
                 ORDER BY line_no LIMIT %s
                """,
                REPORT_ROWS,
            )
        )
        reasons = self._reasons()
        return [
            {
                "line": line,
                "transaction_id": tid,
                "code": code,
                "reason": reasons.get(code, code),
            }
            for line, tid, code in self.env.cr.fetchall()
        ]

    @api.model
    def _reasons(self):
        return {
            "bad_json": self.env._("Not a JSON object."),
            "no_transaction": self.env._("No transaction id."),
            "unknown_contract": self.env._("Unknown contract."),
            "foreign_company": self.env._("The contract belongs to another company."),
            "unknown_metric": self.env._("Unknown metric for the contract's company."),
            "no_usage_line": self.env._(
                "The contract has no usage line for this metric."
            ),
            "bad_timestamp": self.env._("The timestamp is not a date and time."),
            "bad_quantity": self.env._("The quantity is not a number."),
            "bad_properties": self.env._("The properties are not a JSON object."),
            "period_billed": self.env._(
                "The usage period is already billed and the company refuses late "
                "events."
            ),
            "conflict": self.env._(
                "Another event with this transaction id was received with a "
                "different content."
            ),
            "conflict_in_file": self.env._(
                "An earlier row has this transaction id with a different content."
            ),
        }
