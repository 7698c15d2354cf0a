# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import aggregation, rating

SIMPLE = ("sum", "count", "max")


class RecurringInvoicing(models.AbstractModel):
    """Usage charges join the bill run.

    A usage line's due period (in arrears, see ``recurring.contract``) is a
    base charge like any other (it gets its ledger row, which keeps the period
    from being billed twice); :meth:`_prepare_charges` adds its rated usage as
    ``charge["usage"]``. A period priced per group-by value, a minimum
    true-up and the correction of late events are charges of their own, with
    ``"usage"`` and no ``"due"``.

    ``charge["usage"]`` keys: ``kind`` (usage, true_up, correction),
    ``metric`` (usage.metric), ``start``/``end`` (the usage period, dates),
    ``group_key``, ``quantity`` (aggregated), ``rated`` (tools.rating.Rated,
    usage only), ``amount`` (Decimal), ``event_count`` (events the line bills),
    ``previous_quantity`` (corrections).

    Every usage invoice line carries a ``usage.rating`` row (nested command);
    after the invoices are created, the events of each rating are claimed (a
    row each in ``usage_event_claim``) and counted against the rating: an
    event is billed once, and a rating bills exactly the events it rated.
    """

    _inherit = "recurring.invoicing"

    # ------------------------------------------------------------------
    # Aggregation (SQL, one query per kind of aggregation and chunk)
    # ------------------------------------------------------------------

    @api.model
    def _usage_aggregate(self, periods, unbilled_only=True):
        """Aggregate the events of ``periods``: ``[(line, start, end)]`` with
        dates, both inclusive. Returns ``{index: {group_key: (quantity,
        count)}}`` with Decimal quantities; periods without events are left
        out."""
        if not periods:
            return {}
        self.env.flush_all()
        by_kind = defaultdict(list)
        for index, (line, start, end) in enumerate(periods):
            by_kind[line.usage_metric_id.aggregation].append((index, line, start, end))
        result = defaultdict(dict)
        simple = [p for kind in SIMPLE for p in by_kind.get(kind, [])]
        for rows in (simple, by_kind.get("latest"), by_kind.get("unique_count")):
            # metrics without a property filter read the events from the
            # index alone (the filter needs the events' properties)
            for filtered in (False, True):
                part = [
                    row
                    for row in rows or []
                    if bool(row[1].usage_metric_id.filter_properties) == filtered
                ]
                if part:
                    self._usage_aggregate_rows(part, unbilled_only, result)
        if by_kind.get("reading"):
            self._usage_aggregate_readings(by_kind["reading"], unbilled_only, result)
        return result

    @api.model
    def _usage_periods_sql(self, rows, unbilled_only):
        """The periods as rows ``(idx, line_id, start, stop, claimed)``:
        ``claimed`` when some of their events may be billed already (a rating
        of the period exists), the only periods whose events are looked up in
        the claims."""
        claimed = set()
        if unbilled_only:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT contract_line_id, period_start FROM usage_rating
                     WHERE kind IN ('usage', 'correction')
                       AND contract_line_id = ANY(%s) AND period_start = ANY(%s)
                    """,
                    list({line.id for _i, line, *_ in rows}),
                    list({start for _i, _l, start, _e in rows}),
                )
            )
            claimed = set(self.env.cr.fetchall())
        return SQL(
            """
            SELECT * FROM unnest(%s::int[], %s::int[], %s::date[], %s::date[],
                                 %s::bool[])
                AS p(idx, line_id, start, stop, claimed)
            """,
            [index for index, *_ in rows],
            [line.id for _i, line, *_ in rows],
            [start for _i, _l, start, _e in rows],
            [end + timedelta(days=1) for *_, end in rows],
            [(line.id, start) in claimed for _i, line, start, _e in rows],
        )

    @api.model
    def _usage_aggregate_rows(self, rows, unbilled_only, result):
        metric = rows[0][1].usage_metric_id
        kind = metric.aggregation
        if kind == "latest":
            value = SQL(
                "(array_agg(e.quantity ORDER BY e.timestamp DESC, e.id DESC))[1]"
            )
        elif kind == "unique_count":
            value = SQL("count(DISTINCT e.properties ->> m.unique_property)")
        else:
            value = SQL(
                """
                CASE m.aggregation WHEN 'sum' THEN sum(e.quantity)
                                   WHEN 'max' THEN max(e.quantity)
                                   ELSE count(*) END
                """
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.idx, e.group_key, %(value)s, count(*)
                  FROM (%(periods)s) p
                  JOIN recurring_contract_line l ON l.id = p.line_id
                  JOIN usage_metric m ON m.id = l.usage_metric_id
                 CROSS JOIN LATERAL (
                    SELECT %(columns)s FROM usage_event e
                     WHERE e.contract_line_id = p.line_id
                       AND e.timestamp >= p.start AND e.timestamp < p.stop
                       AND e.metric_id = m.id
                       AND %(filter)s
                    OFFSET 0  -- one index range per period, never a hash of all
                 ) e
                 WHERE NOT p.claimed OR NOT EXISTS (
                       SELECT 1 FROM usage_event_claim c WHERE c.event_id = e.id)
                 GROUP BY p.idx, e.group_key, m.aggregation, m.unique_property
                """,
                value=value,
                columns=SQL(
                    "e.id, e.group_key, e.quantity, e.timestamp"
                    + (", e.properties" if kind == "unique_count" else "")
                ),
                periods=self._usage_periods_sql(rows, unbilled_only),
                filter=self._usage_filter_sql(bool(metric.filter_properties)),
            )
        )
        for index, group_key, quantity, count in self.env.cr.fetchall():
            result[index][group_key or ""] = (rating.D(quantity or 0), count)

    @api.model
    def _usage_filter_sql(self, filtered):
        """The metric's property filter on the events ``e`` of metric ``m``
        (``TRUE`` without one: the query then reads no property)."""
        if not filtered:
            return SQL("TRUE")
        return SQL(
            "(m.aggregation = 'reading' OR m.filter_properties IS NULL "
            "OR e.properties @> m.filter_properties)"
        )

    @api.model
    def _usage_aggregate_readings(self, rows, unbilled_only, result):
        """Meter readings: the period's readings in order and the last one
        before the period, then tools/aggregation.reading_difference."""
        self.env.cr.execute(
            SQL(
                """
                SELECT p.idx, e.group_key,
                       array_agg(e.quantity ORDER BY e.timestamp, e.id),
                       array_agg(e.properties ->> 'reading_mark'
                                 ORDER BY e.timestamp, e.id),
                       array_agg(e.properties ->> 'reading_base'
                                 ORDER BY e.timestamp, e.id),
                       count(*) FILTER (WHERE u.unbilled),
                       (SELECT b.quantity FROM usage_event b
                         WHERE b.contract_line_id = p.line_id
                           AND b.metric_id = e.metric_id
                           AND b.group_key = e.group_key
                           AND b.timestamp < p.start
                         ORDER BY b.timestamp DESC, b.id DESC LIMIT 1)
                  FROM (%(periods)s) p
                 CROSS JOIN LATERAL (
                    SELECT e.id, e.metric_id, e.group_key, e.quantity, e.timestamp,
                           e.properties
                      FROM usage_event e
                     WHERE e.contract_line_id = p.line_id
                       AND e.timestamp >= p.start AND e.timestamp < p.stop
                    OFFSET 0
                 ) e
                 CROSS JOIN LATERAL (
                    SELECT NOT p.claimed OR NOT EXISTS (
                        SELECT 1 FROM usage_event_claim c WHERE c.event_id = e.id
                    ) AS unbilled
                 ) u
                 GROUP BY p.idx, p.line_id, p.start, e.metric_id, e.group_key
                """,
                periods=self._usage_periods_sql(rows, True),
            )
        )
        for (
            index,
            key,
            values,
            marks,
            bases,
            unbilled,
            previous,
        ) in self.env.cr.fetchall():
            if unbilled_only and not unbilled:
                continue
            try:
                quantity = aggregation.reading_difference(
                    previous, list(zip(values, marks, bases, strict=True))
                )
            except aggregation.AggregationError as error:
                line = rows[[r[0] for r in rows].index(index)][1]
                raise UserError(
                    self.env._(
                        "The meter readings of %(line)s cannot be billed: %(error)s",
                        line=line.display_name,
                        error=error,
                    )
                ) from error
            result[index][key or ""] = (quantity, unbilled)

    # ------------------------------------------------------------------
    # Charges
    # ------------------------------------------------------------------

    @api.model
    def _prepare_charges(self, contracts, date):
        charges = super()._prepare_charges(contracts, date)
        usage = [c for c in charges if c["line"].usage_metric_id and "due" in c]
        aggregates = self._usage_aggregate(
            [(c["line"], c["due"].billed_start, c["due"].billed_end) for c in usage]
        )
        extra = defaultdict(list)  # charges to insert after a due usage charge
        prepaid_amounts = self._usage_prepaid_amounts(
            [(c["line"], c["due"].billed_start) for c in usage]
        )
        for index, charge in enumerate(usage):
            line, due = charge["line"], charge["due"]
            groups = aggregates.get(index) or {"": (Decimal(0), 0)}
            total = Decimal(0)
            for position, group_key in enumerate(sorted(groups)):
                quantity, count = groups[group_key]
                rated = line._rate_usage(quantity, minimum=False)
                total += rated.amount
                info = {
                    "kind": "usage",
                    "metric": line.usage_metric_id,
                    "start": due.billed_start,
                    "end": due.billed_end,
                    "group_key": group_key,
                    "quantity": quantity,
                    "rated": rated,
                    "amount": rated.amount,
                    "event_count": count,
                }
                if position == 0:
                    charge["usage"] = info
                else:
                    extra[id(charge)].append(
                        {"contract": charge["contract"], "line": line, "usage": info}
                    )
            prepaid = prepaid_amounts.get((line.id, due.billed_start))
            if prepaid is not None:
                if total > 0 and prepaid > 0:
                    extra[id(charge)].append(
                        self._usage_drawdown_charge(
                            charge["contract"],
                            line,
                            due.billed_start,
                            due.billed_end,
                            -min(total, prepaid),
                            prepaid,
                        )
                    )
                continue
            minimum = rating.D(line.usage_minimum or 0)
            if minimum and total < minimum:
                extra[id(charge)].append(
                    {
                        "contract": charge["contract"],
                        "line": line,
                        "usage": {
                            "kind": "true_up",
                            "metric": line.usage_metric_id,
                            "start": due.billed_start,
                            "end": due.billed_end,
                            "group_key": "",
                            "quantity": Decimal(0),
                            "amount": minimum - total,
                            "minimum": minimum,
                            "event_count": 0,
                        },
                    }
                )
        # after each contract's charges: its prepaid amounts, then its
        # corrections (a contract may have nothing else due)
        tail = defaultdict(list)
        for added in self._usage_prepaid_charges(contracts, date):
            tail[added["contract"].id].append(added)
        for correction in self._usage_corrections(contracts):
            tail[correction["contract"].id].append(correction)
        result = []
        for position, charge in enumerate(charges):
            result.append(charge)
            result.extend(extra.get(id(charge), []))
            following = charges[position + 1] if position + 1 < len(charges) else None
            if following is None or following["contract"] != charge["contract"]:
                result.extend(tail.pop(charge["contract"].id, []))
        for contract in contracts.sorted(lambda c: (c.date_start, c.id)):
            result.extend(tail.pop(contract.id, []))
        return result

    # ------------------------------------------------------------------
    # Prepaid usage: the minimum billed in advance, drawn down in arrears
    # ------------------------------------------------------------------

    @api.model
    def _usage_prepaid_charges(self, contracts, date):
        """The prepaid amount of each prepaid usage line's periods that began
        by ``date`` and were not billed in advance yet."""
        charges = []
        for contract in contracts.sorted(lambda c: (c.date_start, c.id)):
            lines = contract.line_ids.filtered(
                lambda line: line.usage_metric_id and line.usage_prepaid
            )
            for line in lines.sorted(lambda ln: (ln.sequence, ln.id)):
                amount = rating.D(line.usage_minimum or 0)
                for due in contract._usage_prepaid_due(line, up_to=date):
                    charges.append(
                        {
                            "contract": contract,
                            "line": line,
                            "usage": {
                                "kind": "prepaid",
                                "metric": line.usage_metric_id,
                                "start": due.billed_start,
                                "end": due.billed_end,
                                "group_key": "",
                                "quantity": Decimal(0),
                                "amount": amount,
                                "minimum": amount,
                                "event_count": 0,
                            },
                        }
                    )
        return charges

    @api.model
    def _usage_prepaid_amounts(self, periods):
        """``{(line id, period start): amount billed in advance}`` of the
        prepaid lines among ``periods`` (``[(line, start)]``)."""
        return self._usage_rating_sums(
            "prepaid", [(line, start) for line, start in periods if line.usage_prepaid]
        )

    @api.model
    def _usage_rating_sums(self, kind, periods):
        """``{(line id, period start): sum of the amounts}`` of the ratings
        of ``kind`` of ``periods`` (``[(line, start)]``)."""
        if not periods:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT contract_line_id, period_start, sum(amount)
                  FROM usage_rating
                 WHERE kind = %s AND contract_line_id = ANY(%s)
                   AND period_start = ANY(%s)
                 GROUP BY 1, 2
                """,
                kind,
                list({line.id for line, _start in periods}),
                list({start for _line, start in periods}),
            )
        )
        return {
            (line_id, start): rating.D(amount or 0)
            for line_id, start, amount in self.env.cr.fetchall()
        }

    @api.model
    def _usage_drawdown_charge(self, contract, line, start, end, amount, prepaid):
        """A negative charge: the part of the period's usage that its prepaid
        amount covers."""
        return {
            "contract": contract,
            "line": line,
            "usage": {
                "kind": "drawdown",
                "metric": line.usage_metric_id,
                "start": start,
                "end": end,
                "group_key": "",
                "quantity": Decimal(0),
                "amount": amount,
                "minimum": prepaid,
                "event_count": 0,
            },
        }

    @api.model
    def _usage_drawdown_corrections(self, corrections):
        """Late usage of a prepaid period is drawn from what is left of its
        prepaid amount: one negative charge per period after its
        corrections."""
        periods = defaultdict(lambda: Decimal(0))
        first = {}
        for correction in corrections:
            info = correction["usage"]
            key = (correction["line"].id, info["start"])
            periods[key] += info["amount"]
            first.setdefault(key, correction)
        periods_of = [
            (correction["line"], correction["usage"]["start"])
            for correction in corrections
        ]
        prepaid = self._usage_prepaid_amounts(periods_of)
        if not prepaid:
            return []
        drawn = {
            key: -amount
            for key, amount in self._usage_rating_sums("drawdown", periods_of).items()
        }
        charges = []
        for key, late_amount in periods.items():
            left = prepaid.get(key, Decimal(0)) - drawn.get(key, Decimal(0))
            if key not in prepaid or late_amount <= 0 or left <= 0:
                continue
            correction = first[key]
            charges.append(
                self._usage_drawdown_charge(
                    correction["contract"],
                    correction["line"],
                    correction["usage"]["start"],
                    correction["usage"]["end"],
                    -min(late_amount, left),
                    prepaid[key],
                )
            )
        return charges

    @api.model
    def _usage_corrections(self, contracts):
        """Late events (unbilled, in a period whose usage is billed): the
        period is rated again with them, the difference is a correction.

        They are looked for among the events loaded since the line's last
        rating (``ingest_xid`` at or above its ``snapshot_xmin``): every
        event loaded before was seen by that bill run, which billed it in its
        period or as a correction, so the search reads what arrived since, not
        the whole history of the line."""
        lines = contracts.line_ids.filtered("usage_metric_id")
        if not lines or self.env.company.usage_late_policy == "refuse":
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.contract_line_id, p.billed_start, p.billed_end,
                       e.group_key, count(*)
                  FROM %(bounds)s b
                  JOIN recurring_contract_line l ON l.id = b.line_id
                  JOIN usage_metric m ON m.id = l.usage_metric_id
                 CROSS JOIN LATERAL (
                    SELECT e.id, e.contract_line_id, e.timestamp, e.group_key
                      FROM usage_event e
                     WHERE e.contract_line_id = b.line_id
                       AND e.ingest_xid >= b.bound
                       AND e.timestamp < b.billed_until
                       AND e.metric_id = m.id
                       AND %(filter)s
                    OFFSET 0
                 ) e
                  JOIN recurring_period p
                    ON p.contract_line_id = e.contract_line_id
                   AND p.state != 'cancelled'
                   AND e.timestamp >= p.billed_start
                   AND e.timestamp < p.billed_end + 1
                 WHERE NOT EXISTS (
                       SELECT 1 FROM usage_event_claim c WHERE c.event_id = e.id)
                 GROUP BY 1, 2, 3, 4
                 ORDER BY 1, 2, 4
                """,
                bounds=self._usage_late_bounds_sql(lines.ids),
                filter=self._usage_filter_sql(True),
            )
        )
        late = self.env.cr.fetchall()
        if not late:
            return []
        Line = self.env["recurring.contract.line"]
        periods = [
            (Line.browse(line_id), start, end) for line_id, start, end, *_ in late
        ]
        totals = self._usage_aggregate(periods, unbilled_only=False)
        billed = self._usage_billed(periods)
        corrections = []
        for index, (line_id, start, end, group_key, count) in enumerate(late):
            line = Line.browse(line_id)
            group_key = group_key or ""
            quantity = totals.get(index, {}).get(group_key, (Decimal(0), 0))[0]
            previous_quantity, previous_amount = billed.get(
                (line_id, start, group_key), (Decimal(0), Decimal(0))
            )
            rated = line._rate_usage(quantity, minimum=False)
            corrections.append(
                {
                    "contract": line.contract_id,
                    "line": line,
                    "usage": {
                        "kind": "correction",
                        "metric": line.usage_metric_id,
                        "start": start,
                        "end": end,
                        "group_key": group_key,
                        "quantity": quantity,
                        "previous_quantity": previous_quantity,
                        "rated": rated,
                        "amount": rated.amount - previous_amount,
                        "event_count": count,
                    },
                }
            )
        return corrections + self._usage_drawdown_corrections(corrections)

    @api.model
    def _usage_late_bounds_sql(self, line_ids, moves=None):
        """``(line_id, bound, billed_until)`` rows: the events of a line
        loaded from ``bound`` on and dated before ``billed_until`` (the end of
        its last billed period, NULL if none) may be late; the ratings of
        ``moves`` (being billed) do not count."""
        return SQL(
            """
            (SELECT l.id AS line_id,
                    COALESCE((SELECT max(r.snapshot_xmin) FROM usage_rating r
                               WHERE r.contract_line_id = l.id
                                 AND r.kind IN ('usage', 'correction')
                                 AND r.move_id != ALL(%s)),
                             '0'::xid8) AS bound,
                    (SELECT max(p.billed_end) + 1 FROM recurring_period p
                      WHERE p.contract_line_id = l.id
                        AND p.state != 'cancelled') AS billed_until
               FROM unnest(%s::int[]) AS l(id))
            """,
            list(moves.ids if moves else []),
            list(line_ids),
        )

    @api.model
    def _usage_billed(self, periods):
        """``{(line id, start, group): (last rated quantity, amount billed)}``
        over the usage and correction ratings of the periods."""
        self.env.cr.execute(
            SQL(
                """
                SELECT contract_line_id, period_start, group_key,
                       (array_agg(quantity ORDER BY id DESC))[1], sum(amount)
                  FROM usage_rating
                 WHERE kind IN ('usage', 'correction')
                   AND contract_line_id = ANY(%s) AND period_start = ANY(%s)
                 GROUP BY 1, 2, 3
                """,
                list({line.id for line, *_ in periods}),
                list({start for _line, start, _end in periods}),
            )
        )
        return {
            (line_id, start, key or ""): (
                rating.D(quantity or 0),
                rating.D(amount or 0),
            )
            for line_id, start, key, quantity, amount in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Figures of a usage charge
    # ------------------------------------------------------------------

    @api.model
    def _usage_figures(self, charge):
        """(quantity, unit price) of the charge's invoice line, exactly worth
        its amount, computed once."""
        info = charge["usage"]
        if "figures" not in info:
            digits = self.env["decimal.precision"].precision_get("Product Price")
            if info["kind"] == "usage":
                quantity = info["rated"].billable
                package = charge["line"].usage_price_model == "package"
                if info["rated"].tiers and package:
                    quantity = info["rated"].tiers[0].quantity
            else:
                quantity = Decimal(1)
            if info["amount"] < 0:
                # a credit on the invoice: a negative quantity at a positive
                # price (EN 16931 BR-27: an item's net price is never negative)
                quantity, unit = rating.line_figures(-info["amount"], quantity, digits)
                info["figures"] = (-quantity, unit)
            else:
                info["figures"] = rating.line_figures(info["amount"], quantity, digits)
        return info["figures"]

    @api.model
    def _charge_amounts(self, charge):
        if "usage" not in charge:
            return super()._charge_amounts(charge)
        _quantity, unit = self._usage_figures(charge)
        return {
            "price_unit": float(unit),
            "price_subtotal": float(charge["usage"]["amount"]),
        }

    @api.model
    def _charge_price(self, charge):
        if "usage" not in charge:
            return super()._charge_price(charge)
        return self._charge_amounts(charge)["price_unit"]

    @api.model
    def _charge_note(self, charge):
        if "usage" in charge:
            return False
        return super()._charge_note(charge)

    @api.model
    def _prepare_period_values(self, charge):
        values = super()._prepare_period_values(charge)
        if "usage" in charge:
            quantity, _unit = self._usage_figures(charge)
            values["quantity"] = float(quantity)
            values["discount"] = 0.0
        return values

    # ------------------------------------------------------------------
    # Invoice lines
    # ------------------------------------------------------------------

    @api.model
    def _prepare_invoice_line_values(self, charge):
        if "usage" not in charge:
            return super()._prepare_invoice_line_values(charge)
        line, info = charge["line"], charge["usage"]
        if "due" in charge:
            values = super()._prepare_invoice_line_values(charge)
        else:
            values = {
                "display_type": "product",
                "product_id": line.product_id.id,
                "product_uom_id": line.uom_id.id,
                "tax_ids": [Command.set(line.tax_ids.ids)],
            }
        quantity, unit = self._usage_figures(charge)
        values.update(
            {
                "name": self._usage_line_name(charge),
                "quantity": float(quantity),
                "price_unit": float(unit),
                "discount": 0.0,
                "service_start_date": info["start"],
                "service_end_date": info["end"],
                "usage_rating_ids": [Command.create(self._usage_rating_values(charge))],
            }
        )
        if info["kind"] == "usage" and quantity == info["rated"].billable:
            values["product_uom_id"] = line.usage_metric_id.uom_id.id
        return values

    @api.model
    def _usage_rating_values(self, charge):
        line, info = charge["line"], charge["usage"]
        rated = info.get("rated")
        return {
            "contract_line_id": line.id,
            "metric_id": info["metric"].id,
            "kind": info["kind"],
            "period_start": info["start"],
            "period_end": info["end"],
            "group_key": info["group_key"],
            "quantity": float(info["quantity"]),
            "billable_quantity": float(rated.billable) if rated else 0.0,
            "amount": float(info["amount"]),
            "breakdown": "\n".join(self._usage_breakdown(charge)),
            "event_count": info["event_count"],
        }

    @api.model
    def _usage_breakdown(self, charge):
        """'1,000 × 0.18 = 180.00' rows in the customer's language."""
        info, contract = charge["usage"], charge["contract"]
        rated = info.get("rated")
        if not rated:
            return []
        env = self._usage_env(contract)
        lang = env["res.lang"]._lang_get(env.lang)
        currency = contract.currency_id
        rows = []
        for tier in rated.tiers:
            values = {
                "quantity": self._usage_number(lang, tier.quantity),
                "price": self._usage_number(lang, tier.unit_price),
                "amount": currency.with_env(env).format(float(tier.amount)),
            }
            if tier.flat_fee:
                rows.append(
                    env._(
                        "%(quantity)s × %(price)s + %(fee)s = %(amount)s",
                        fee=self._usage_number(lang, tier.flat_fee),
                        **values,
                    )
                )
            else:
                rows.append(env._("%(quantity)s × %(price)s = %(amount)s", **values))
        return rows

    @api.model
    def _usage_env(self, contract):
        lang = contract.partner_id.lang or self.env.lang or "en_US"
        return self.with_context(lang=lang).env

    @api.model
    def _usage_number(self, lang, value):
        value = rating.D(value).normalize()
        decimals = max(-value.as_tuple().exponent, 0)
        return lang.format(f"%.{decimals}f", value, grouping=True)

    @api.model
    def _usage_line_name(self, charge):
        """The metric, the period, the quantity, the allowance and the tiers
        (or what the true-up or correction is), in the customer's language."""
        line, info, contract = charge["line"], charge["usage"], charge["contract"]
        env = self._usage_env(contract)
        lang = env["res.lang"]._lang_get(env.lang)
        metric = info["metric"].with_env(env)
        values = {
            "metric": metric.name,
            "start": info["start"].strftime(lang.date_format),
            "end": info["end"].strftime(lang.date_format),
            "quantity": self._usage_number(lang, info["quantity"]),
            "unit": metric.uom_id.name,
            "group": info["group_key"],
        }
        if info["kind"] == "true_up":
            head = env._(
                "Minimum commitment of %(minimum)s for %(start)s–%(end)s: true-up",
                minimum=contract.currency_id.with_env(env).format(
                    float(info["minimum"])
                ),
                **values,
            )
            return f"{line.name}\n{head}"
        if info["kind"] in ("prepaid", "drawdown"):
            prepaid = contract.currency_id.with_env(env).format(float(info["minimum"]))
            if info["kind"] == "prepaid":
                head = env._(
                    "Prepaid usage for %(start)s–%(end)s: %(prepaid)s, drawn down by "
                    "the period's %(metric)s",
                    prepaid=prepaid,
                    **values,
                )
            else:
                head = env._(
                    "%(metric)s, %(start)s–%(end)s: covered by the prepaid usage of "
                    "%(prepaid)s",
                    prepaid=prepaid,
                    **values,
                )
            return f"{line.name}\n{head}"
        if info["kind"] == "correction":
            head = env._(
                "Late usage correction for %(start)s–%(end)s: %(metric)s "
                "%(previous)s → %(quantity)s %(unit)s",
                previous=self._usage_number(lang, info["previous_quantity"]),
                **values,
            )
        elif info["group_key"]:
            head = env._(
                "%(metric)s (%(group)s), %(start)s–%(end)s: %(quantity)s %(unit)s",
                **values,
            )
        else:
            head = env._(
                "%(metric)s, %(start)s–%(end)s: %(quantity)s %(unit)s", **values
            )
        rated = info["rated"]
        parts = [line.name, head]
        if rated.included:
            parts.append(
                env._(
                    "%(included)s included",
                    included=self._usage_number(lang, rated.included),
                )
            )
        parts.extend(self._usage_breakdown(charge))
        return "\n".join(parts)

    # ------------------------------------------------------------------
    # Creation: the events of each rating are claimed
    # ------------------------------------------------------------------

    @api.model
    def _create_invoices(self, contracts, date, post=None, invoices=None):
        moves = super()._create_invoices(contracts, date, post, invoices=invoices)
        if moves:
            self._usage_claim_events(moves)
        return moves

    @api.model
    def _usage_claim_events(self, moves):
        """Claim for each rating of ``moves`` the events it rated (one row in
        ``usage_event_claim`` each): a due period's unbilled events, or a
        correction's late events (loaded since the line's last rating, as
        :meth:`_usage_corrections` found them). The claim's primary key makes
        a concurrent claim of the same event fail; a rating that would bill
        another number of events than it rated stops the batch."""
        self.env.flush_all()
        ratings = self.env["usage.rating"].search(
            [("move_id", "in", moves.ids), ("kind", "in", ("usage", "correction"))]
        )
        if not ratings:
            return
        claimed = {}
        for filtered in (False, True):
            part = ratings.filtered(
                lambda r, filtered=filtered: bool(r.metric_id.filter_properties)
                == filtered
            )
            if part:
                claimed.update(self._usage_claim(part, moves, filtered))
        for rated in ratings:
            if claimed.get(rated.id, 0) != rated.event_count:
                raise UserError(
                    self.env._(
                        "The usage of %(line)s for %(start)s changed while it was "
                        "billed: bill it again.",
                        line=rated.contract_line_id.display_name,
                        start=rated.period_start,
                    )
                )
        self.env["usage.event"].invalidate_model(["rating_id", "state"])

    @api.model
    def _usage_claim(self, ratings, moves, filtered):
        """Insert the claims of ``ratings`` (all of metrics with a property
        filter, or all without: those read the events from the index alone);
        returns ``{rating id: events claimed}``."""
        self.env.cr.execute(
            SQL(
                """
                WITH rated AS (
                SELECT r.id, r.contract_line_id, r.metric_id, r.group_key,
                       r.period_start, r.period_end + 1 AS stop,
                       CASE WHEN r.kind = 'correction' THEN b.bound END AS bound,
                       EXISTS (SELECT 1 FROM usage_rating o
                                WHERE o.contract_line_id = r.contract_line_id
                                  AND o.period_start = r.period_start
                                  AND o.kind IN ('usage', 'correction')
                                  AND o.move_id != ALL(%(moves)s)) AS claimed
                  FROM usage_rating r
                  JOIN %(bounds)s b ON b.line_id = r.contract_line_id
                 WHERE r.id = ANY(%(ratings)s)
                ), claimed AS (
                INSERT INTO usage_event_claim (event_id, rating_id)
                SELECT e.id, r.id
                  FROM rated r
                  JOIN usage_metric m ON m.id = r.metric_id
                 CROSS JOIN LATERAL (
                    SELECT e.id FROM usage_event e
                     WHERE e.contract_line_id = r.contract_line_id
                       AND e.timestamp >= r.period_start
                       AND e.timestamp < r.stop
                       AND e.metric_id = r.metric_id
                       AND e.group_key = r.group_key
                       AND %(filter)s
                       AND (r.bound IS NULL OR e.ingest_xid >= r.bound)
                    OFFSET 0
                 ) e
                 WHERE NOT r.claimed OR NOT EXISTS (
                       SELECT 1 FROM usage_event_claim c WHERE c.event_id = e.id)
                RETURNING rating_id
                )
                SELECT rating_id, count(*) FROM claimed GROUP BY rating_id
                """,
                moves=moves.ids,
                ratings=ratings.ids,
                bounds=self._usage_late_bounds_sql(ratings.contract_line_id.ids, moves),
                filter=self._usage_filter_sql(filtered),
            )
        )
        return dict(self.env.cr.fetchall())
