# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import dataclasses

from odoo import api, fields, models

from odoo.addons.recurring_billing.models.recurring_contract import BILLABLE_STATES

from ..tools import rating


class RecurringContract(models.Model):
    _inherit = "recurring.contract"

    usage_event_count = fields.Integer(compute="_compute_usage_event_count")
    usage_line_ids = fields.One2many(
        "recurring.contract.line",
        "contract_id",
        domain=[("usage_metric_id", "!=", False)],
        string="Usage lines",
    )

    usage_current_html = fields.Html(
        string="Current usage",
        compute="_compute_usage_current_html",
        sanitize=False,
        help="The running period's usage and its estimated amount.",
    )

    def _compute_usage_event_count(self):
        """Counted per usage line (the events are indexed by line)."""
        lines = self.line_ids.filtered("usage_metric_id")
        counts = dict(
            self.env["usage.event"]._read_group(
                [("contract_line_id", "in", lines.ids)],
                ["contract_line_id"],
                ["__count"],
            )
            if lines
            else []
        )
        for contract in self:
            contract.usage_event_count = sum(
                counts.get(line, 0) for line in contract.line_ids
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_usage_events(self):
        self.env["usage.event"]._check_no_events(
            "contract_line_id",
            self.with_context(active_test=False).line_ids,
            self.env._("A contract that received usage events cannot be deleted."),
        )

    def _due_charges(self, line, up_to=None, limit=None):
        """A usage line is billed in arrears whatever the contract's rule: a
        period falls due the day after it ends."""
        if not line.usage_metric_id:
            return super()._due_charges(line, up_to=up_to, limit=limit)
        billed = {
            period.period_start
            for period in line.period_ids
            if period.state != "cancelled"
        }
        return self._usage_due(
            line, billed, up_to, limit, invoicing="postpaid", postpaid_next_day=True
        )

    def _usage_prepaid_due(self, line, up_to=None, limit=None):
        """The periods of a prepaid usage line whose prepaid amount is due
        (at the start of the period, not prorated) and not billed yet."""
        billed = {
            self._period_bounds(rated.period_start)[0]
            for rated in line.usage_rating_ids
            if rated.kind == "prepaid"
        }
        return self._usage_due(line, billed, up_to, limit, invoicing="prepaid")

    def _usage_due(self, line, billed, up_to, limit, **rule):
        """The line's periods not in ``billed`` (period starts), whole (usage
        is never prorated), under the contract's rule changed by ``rule``."""
        recurrence = dataclasses.replace(self._recurrence(), **rule)
        return self._line_due_charges(line, recurrence, billed, up_to, limit, "none")

    @api.depends(
        "line_ids.usage_prepaid",
        "line_ids.usage_minimum",
        "line_ids.usage_rating_ids.kind",
    )
    def _compute_next_invoice_date(self):
        """A prepaid usage amount falls due at the start of its period."""
        result = super()._compute_next_invoice_date()
        for contract in self:
            if contract.state not in BILLABLE_STATES or not contract.rule_id:
                continue
            dates = [
                charge.scheduled_date
                for line in contract.line_ids
                if line.usage_metric_id and line.usage_prepaid
                for charge in contract._usage_prepaid_due(line, limit=1)
            ]
            if contract.next_invoice_date:
                dates.append(contract.next_invoice_date)
            contract.next_invoice_date = min(dates, default=False)
        return result

    def action_view_usage_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_usage.usage_event_action"
        )
        action["domain"] = [("contract_line_id", "in", self.line_ids.ids)]
        action["context"] = {"search_default_unbilled": 1}
        return action

    def _usage_current(self, today=None):
        """The running period of each usage line with its quantity so far and
        the estimated amount: ``[{"line", "start", "end", "quantity",
        "rated"}]`` (one SQL query for all lines)."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        lines = self.line_ids.filtered("usage_metric_id")
        if not lines or not self.rule_id:
            return []
        periods = []
        start, end = self._period_bounds(today)
        for line in lines:
            periods.append((line, max(start, line.date_start), end))
        aggregates = self.env["recurring.invoicing"]._usage_aggregate(
            [(line, start, end) for line, start, end in periods], unbilled_only=False
        )
        result = []
        for index, (line, start, end) in enumerate(periods):
            quantity = sum(
                (quantity for quantity, _count in aggregates.get(index, {}).values()),
                rating.D(0),
            )
            result.append(
                {
                    "line": line,
                    "start": start,
                    "end": end,
                    "quantity": quantity,
                    "rated": line._rate_usage(quantity),
                }
            )
        return result

    def _cron_usage_alerts(self):
        """An activity for the responsible of each contract whose running
        period passed a usage line's threshold (once per period and line), and
        one email to the customer for the lines that ask for it."""
        lines = self.env["recurring.contract.line"].search(
            [
                ("usage_metric_id", "!=", False),
                ("usage_alert_threshold", ">", 0),
                ("contract_id.state", "in", ("active", "paused")),
            ]
        )
        for contract in lines.contract_id:
            alerted = contract._usage_check_thresholds()
            if alerted.filtered("usage_alert_email"):
                contract._usage_alert_notify()

    def _usage_check_thresholds(self):
        """The usage lines of the contract that passed their threshold in the
        running period and had not been alerted yet: each gets an activity
        for the contract's responsible. Returns them."""
        self.ensure_one()
        alerted = self.env["recurring.contract.line"]
        for current in self._usage_current():
            line = current["line"]
            if (
                not line.usage_alert_threshold
                or line.usage_alert_period == current["start"]
                or current["quantity"] <= rating.D(line.usage_alert_threshold)
            ):
                continue
            line.write(
                {
                    "usage_alert_period": current["start"],
                    "usage_alert_quantity": float(current["quantity"]),
                }
            )
            alerted |= line
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id or self.env.uid,
                summary=self.env._(
                    "Usage threshold passed: %(metric)s %(quantity)s > %(threshold)s",
                    metric=line.usage_metric_id.name,
                    quantity=current["quantity"],
                    threshold=line.usage_alert_threshold,
                ),
            )
        return alerted

    def _usage_alert_notify(self):
        """One email to the customer listing the usage lines that passed
        their threshold in the running period."""
        template = self.env.ref(
            "recurring_usage.mail_template_usage_threshold", raise_if_not_found=False
        )
        if template:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _usage_alert_lines(self):
        """The lines of the email: alerted in the running period, with the
        customer asked to be told."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.line_ids.filtered(
            lambda line: line.usage_alert_email
            and line.usage_alert_period
            and self._period_bounds(today)[0]
            <= line.usage_alert_period
            <= self._period_bounds(today)[1]
        ).sorted(lambda line: (line.sequence, line.id))

    def _compute_usage_current_html(self):
        for contract in self:
            rows = contract._usage_current() if contract.id else []
            if not rows:
                contract.usage_current_html = False
                continue
            contract.usage_current_html = self.env["ir.qweb"]._render(
                "recurring_usage.usage_current_table",
                {"contract": contract, "rows": rows},
            )

    def _portal_usage_ratings(self, limit=36):
        """The rated usage of the contract's posted invoices, latest first."""
        self.ensure_one()
        return (
            self.env["usage.rating"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("move_id.state", "=", "posted"),
                ],
                order="period_start desc, id desc",
                limit=limit,
            )
        )
