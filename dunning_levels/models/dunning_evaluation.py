# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_date, formatLang

from odoo.addons.account_invoice_fr.tools import rates
from odoo.addons.account_invoice_fr.tools.exceptions import InvoiceFrError

from ..tools import engine
from ..tools.exceptions import DunningError
from ..tools.money import CurrencyTable


class DunningEvaluation(models.AbstractModel):
    """Service: the dunning engine applied to the database.

    Loads the open items of a batch of customers in a few queries, turns them
    into the engine's plain values, evaluates each customer and returns plain
    results that runs and previews store. Nothing is written here.
    """

    _name = "dunning.evaluation"
    _description = "Dunning Evaluation"

    @api.model
    def _customers_to_evaluate(self, company, on_date):
        """Commercial partners of ``company`` with an open receivable due by
        the courtesy horizon, or still shown at a level on the kanban."""
        levels = self.env["dunning.level"].search([("company_id", "=", company.id)])
        horizon = on_date - timedelta(days=min(levels.mapped("delay_days") or [1]))
        self.env["account.move.line"].flush_model()
        self.env["dunning.customer"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT aml.partner_id
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.partner_id IS NOT NULL
                   AND NOT aml.reconciled
                   AND acc.account_type = 'asset_receivable'
                   AND aml.balance > 0
                   AND COALESCE(aml.date_maturity, aml.date) <= %(horizon)s
                 UNION
                SELECT partner_id FROM dunning_customer
                 WHERE company_id = %(company)s AND level_id IS NOT NULL
                 ORDER BY 1
                """,
                company=company.id,
                horizon=horizon,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _currency_table(self, company, on_date, currencies):
        currencies |= company.currency_id
        rates = currencies._get_rates(company, on_date)
        base = rates[company.currency_id.id]
        return CurrencyTable(
            company_currency=company.currency_id.name,
            rates={c.name: rates[c.id] / base for c in currencies},
            digits={c.name: c.decimal_places for c in currencies},
        )

    @api.model
    def _engine_levels(self, policy, company):
        return [
            engine.Level(
                sequence=level.sequence,
                name=level.name,
                delay_days=level.delay_days,
                min_amount=level.min_amount,
                claim_indemnity=level.claim_indemnity,
                claim_penalties=level.claim_penalties,
                formal_notice=level.formal_notice,
                requires_previous=level.requires_previous,
                channels=level._channels(),
                indemnity_eur=company.late_payment_indemnity,
            )
            for level in policy.level_ids
        ]

    @api.model
    def _open_items(self, company, partner_ids):
        """{partner id: [OpenItem]}, {partner id: [(entry, reason)]} of the
        entries left out, and the moves, in two queries.

        Any posted receivable entry counts, invoice or not: opening balances
        and manual entries have no invoice date and are chased on their due
        date (else their accounting date). An entry the engine cannot take is
        left out with its reason; it never stops the customer or the run.
        """
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            ["partner_id", "move_id", "currency_id"],
            ["amount_residual_currency:sum", "date_maturity:min"],
        )
        moves = self.env["account.move"].browse({move.id for _p, move, *_r in groups})
        moves.fetch(
            [
                "move_type",
                "name",
                "invoice_date",
                "dunning_excluded",
                "dunning_direct_debit",
                "date",
            ]
        )
        collecting = set(moves._get_pending_collection_moves().ids)
        disputes = self.env["dunning.dispute"].search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("state", "=", "open"),
                ("move_id", "!=", False),
            ]
        )
        disputed = disputes._disputed_amount()
        items = defaultdict(list)
        left_out = defaultdict(list)
        for partner, move, currency, residual, due in groups:
            if currency.is_zero(residual):
                continue
            is_invoice = residual > 0
            kind = engine.INVOICE
            if not is_invoice:
                kind = (
                    engine.CREDIT_NOTE
                    if move.move_type == "out_refund"
                    else engine.PAYMENT
                )
            try:
                item = engine.OpenItem(
                    id=move.id,
                    kind=kind,
                    currency=currency.name,
                    due_date=due or move.invoice_date or move.date,
                    residual=currency.round(abs(residual)),
                    excluded=move.dunning_excluded,
                    disputed_amount=currency.round(
                        min(disputed.get(move.id, 0.0), abs(residual))
                    )
                    if is_invoice
                    else 0,
                    in_direct_debit=is_invoice
                    and (move.dunning_direct_debit or move.id in collecting),
                    name=move.name,
                    invoice_date=move.invoice_date or None,
                )
            except DunningError as error:
                left_out[partner.id].append((move.display_name, str(error)))
                continue
            items[partner.id].append(item)
        return items, left_out, moves

    @api.model
    def _past_actions(self, company, partner_ids, move_ids, on_date, interval):
        since = on_date - timedelta(days=max(interval, 1))
        actions = self.env["dunning.action"].search_fetch(
            Domain("company_id", "=", company.id)
            & Domain("partner_id", "in", partner_ids)
            & (Domain("move_id", "in", move_ids) | Domain("date", ">=", since)),
            ["partner_id", "move_id", "level_sequence", "date"],
        )
        past = defaultdict(list)
        for action in actions:
            past[action.partner_id.id].append(
                engine.PastAction(action.move_id.id, action.level_sequence, action.date)
            )
        return past

    @api.model
    def _customer_holds(self, company, partner_ids):
        """Open promises (latest date) and whole-debt disputes per partner."""
        promises = self.env["dunning.promise"]._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("state", "=", "open"),
            ],
            ["partner_id"],
            ["date:max"],
        )
        disputes = self.env["dunning.dispute"]._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("state", "=", "open"),
                ("move_id", "=", False),
            ],
            ["partner_id"],
            ["__count"],
        )
        return (
            {partner.id: date for partner, date in promises},
            {partner.id for partner, _count in disputes},
        )

    @api.model
    def _evaluate(self, company, on_date, partners):
        """Evaluate ``partners`` (commercial partners) of ``company`` on ``on_date``.

        Returns {partner id: dict} with ``policy``, ``evaluation`` (an
        engine Evaluation or None), ``error`` (a translated message or None),
        ``reason`` (the skip reason to show) and ``next_date``.
        """
        partners = partners.with_company(company)
        items, left_out, moves = self._open_items(company, partners.ids)
        policies = {
            partner.id: partner.dunning_policy_id or company.dunning_policy_id
            for partner in partners
        }
        interval = max([p.min_interval_days for p in policies.values() if p] or [1])
        past = self._past_actions(company, partners.ids, moves.ids, on_date, interval)
        promises, disputes = self._customer_holds(company, partners.ids)
        # The indemnity is a euro amount (D441-5): the euro is always known.
        currencies = self._currency_table(
            company, on_date, moves.currency_id | self.env.ref("base.EUR")
        )
        rate_of = company._late_payment_rate_of()
        levels_cache = {}
        results = {}
        for partner in partners:
            policy = policies[partner.id]
            result = {
                "policy": policy,
                "evaluation": None,
                "error": None,
                "reason": None,
                "next_date": None,
                "left_out": left_out.get(partner.id, []),
            }
            results[partner.id] = result
            if not policy or not policy.level_ids:
                result["reason"] = "no_policy"
                continue
            if partner.dunning_pause_until and partner.dunning_pause_until >= on_date:
                result["reason"] = engine.SkipReason.MANUAL_PAUSE.value
                result["next_date"] = partner.dunning_pause_until + timedelta(days=1)
                continue
            if policy.id not in levels_cache:
                levels_cache[policy.id] = self._engine_levels(policy, company)
            state = engine.CustomerState(
                items=items.get(partner.id, ()),
                past_actions=past.get(partner.id, ()),
                promise_to_pay_until=promises.get(partner.id),
                dispute=partner.id in disputes,
            )
            try:
                evaluation = engine.evaluate(
                    state,
                    levels_cache[policy.id],
                    on_date,
                    rate_of,
                    policy.tolerance,
                    policy.min_interval_days,
                    currencies=currencies,
                    promise_grace_days=policy.promise_grace_days,
                )
            except (DunningError, InvoiceFrError) as error:
                result["error"] = self.env._(
                    "The customer's items cannot be evaluated: %(error)s",
                    error=str(error),
                )
                continue
            result["evaluation"] = evaluation
            result["reason"] = self._reason(evaluation, state, on_date)
            result["next_date"] = self._next_date(evaluation, state, policy, on_date)
        return results

    @api.model
    def _reason(self, evaluation, state, on_date):
        reason = evaluation.skip_reason
        if reason is None:
            return None
        if reason == engine.SkipReason.NOTHING_DUE and any(
            item.in_direct_debit
            and item.due_date < on_date
            and not item.excluded
            and item.kind == engine.INVOICE
            for item in state.items
        ):
            return "direct_debit"
        return reason.value

    @api.model
    def _next_date(self, evaluation, state, policy, on_date):
        """When the customer's reminder should change next, if known."""
        if evaluation.skip_reason == engine.SkipReason.PROMISE_TO_PAY:
            return state.promise_to_pay_until + timedelta(
                days=policy.promise_grace_days + 1
            )
        if evaluation.driving_item_id is None:
            return None
        driver = next(
            line
            for group in evaluation.groups
            for line in group.invoices
            if line.item_id == evaluation.driving_item_id
        )
        current = evaluation.level_sequence
        later = policy.level_ids.filtered(
            lambda level: current is None or level.sequence > current
        )[:1]
        if not later:
            return None
        next_date = driver.due_date + timedelta(days=later.delay_days)
        if state.past_actions or evaluation.actions:
            last = max(
                [a.date for a in state.past_actions]
                + ([on_date] if evaluation.actions else [])
            )
            next_date = max(next_date, last + timedelta(days=policy.min_interval_days))
        return max(next_date, on_date + timedelta(days=1))

    @api.model
    def _company_amount(self, amount, currency, company, on_date):
        """``amount`` in ``currency`` converted into the company currency."""
        return currency._convert(amount, company.currency_id, company, on_date)

    # ------------------------------------------------------------------
    # Explanations, worded in the user's language
    # ------------------------------------------------------------------

    @api.model
    def _explain(self, evaluation, left_out, company, currencies):
        """The engine's notes and the entries left out, one sentence a line,
        in the current language, with formatted amounts and dates.

        ``currencies``: {code: res.currency} of the evaluation's groups.
        """
        lines = [
            self.env._("%(entry)s is left out: %(reason)s", entry=entry, reason=reason)
            for entry, reason in left_out
        ]
        if evaluation is not None:
            lines += [
                self._note_text(note, company, currencies) for note in evaluation.notes
            ]
        return "\n".join(lines)

    @api.model
    def _note_text(self, note, company, currencies):
        params = note.params
        key = note.key

        def money(amount, code):
            currency = currencies.get(code) or company.currency_id
            return format_amount(self.env, float(amount), currency)

        def rate(value):
            return formatLang(self.env, float(value), digits=2)

        def half_year(year, half):
            return rates.half_year_label(year, half)

        if key == engine.NOTE_LEVEL:
            return self._level_text(params)
        if key == engine.NOTE_SKIP:
            return self._skip_text(params)
        if key == engine.NOTE_MIN_AMOUNT:
            target = (
                self.env._("level %(level)s", level=params["reached"])
                if params["reached"] is not None
                else self.env._("no level")
            )
            return self.env._(
                "Level %(level)s needs a net amount of %(minimum)s or more; the "
                "customer owes %(net)s → %(target)s.",
                level=params["level"],
                minimum=money(params["min_amount"], params["company_currency"]),
                net=money(params["net_due"], params["currency"]),
                target=target,
            )
        if key == engine.NOTE_REQUIRES_PREVIOUS:
            return self.env._(
                "Level %(level)s requires level %(previous)s (%(name)s) to have "
                "been sent first → level %(previous)s.",
                level=params["level"],
                previous=params["previous"],
                name=params["previous_name"],
            )
        if key == engine.NOTE_BELOW_TOLERANCE:
            return self.env._(
                "Net amount due %(net)s is at or below the tolerance of "
                "%(tolerance)s → not chased.",
                net=money(params["net_due"], params["currency"]),
                tolerance=money(params["tolerance"], params["currency"]),
            )
        if key == engine.NOTE_RATE_MISSING:
            return company._late_payment_missing_rate_message(
                params["year"], params["half"]
            )
        if key == engine.NOTE_RATE_FLOOR:
            return self.env._(
                "%(half_year)s: the contractual penalty rate of %(rate)s %% is "
                "below the legal minimum of %(floor)s %% (three times the legal "
                "interest rate): penalties at %(floor)s %% for that half-year.",
                half_year=half_year(params["year"], params["half"]),
                rate=rate(params["contractual_rate"]),
                floor=rate(params["floor_rate"]),
            )
        if key == engine.NOTE_RATE_UNCHECKED:
            return self.env._(
                "%(half_year)s: no legal interest rate in the rate table to check "
                "the contractual rate of %(rate)s %% against; it applies as "
                "agreed.",
                half_year=half_year(params["year"], params["half"]),
                rate=rate(params["contractual_rate"]),
            )
        return key

    @api.model
    def _level_text(self, params):
        days = params["days"]
        values = {
            "invoice": params["invoice"],
            "days": days,
            "level": params["level"],
            "name": params["level_name"],
        }
        if days > 0:
            return self.env._(
                "Invoice %(invoice)s is %(days)s days late → level %(level)s "
                "(%(name)s).",
                **values,
            )
        if days == 0:
            return self.env._(
                "Invoice %(invoice)s is due today → level %(level)s (%(name)s).",
                **values,
            )
        values["days"] = -days
        return self.env._(
            "Invoice %(invoice)s is due in %(days)s days → level %(level)s (%(name)s).",
            **values,
        )

    @api.model
    def _skip_text(self, params):
        reason = engine.SkipReason(params["reason"])
        Reason = engine.SkipReason

        def day(value):
            return format_date(self.env, value)

        if reason == Reason.NOTHING_DUE:
            return self.env._("No reminder: no invoice is overdue or due soon.")
        if reason == Reason.BELOW_TOLERANCE:
            return self.env._(
                "No reminder: the net amount due is at or below the tolerance "
                "in every currency."
            )
        if reason == Reason.NO_LEVEL:
            return self.env._("No reminder: no level is reached yet.")
        if reason == Reason.MANUAL_PAUSE:
            return self.env._(
                "No reminder: reminders are paused until %(date)s.",
                date=day(params["until"]),
            )
        if reason == Reason.QUIET_PERIOD:
            return self.env._(
                "No reminder: quiet period from %(start)s to %(end)s.",
                start=day(params["start"]),
                end=day(params["end"]),
            )
        if reason == Reason.PROMISE_TO_PAY:
            return self.env._(
                "No reminder: the customer promised to pay by %(date)s (grace "
                "period %(days)s days).",
                date=day(params["until"]),
                days=params["grace"],
            )
        if reason == Reason.DISPUTE:
            return self.env._("No reminder: the customer disputes the debt.")
        if reason == Reason.MIN_INTERVAL:
            return self.env._(
                "No reminder: the last reminder was sent on %(date)s, %(days)s "
                "days ago (minimum %(minimum)s).",
                date=day(params["last"]),
                days=params["elapsed"],
                minimum=params["minimum"],
            )
        return self.env._(
            "No reminder: every listed invoice already received this level or a "
            "higher one."
        )
