# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import recurrence as recurrence_tools

PRORATION_METHODS = [
    ("actual_days", "Actual days"),
    ("30_360", "30/360"),
    ("none", "No proration (full price)"),
]
# states in which due periods are billed (a terminated contract until its end)
BILLABLE_STATES = ("active", "paused", "terminated")
# average number of months in one unit, to turn a period amount into MRR
MONTHS_PER_UNIT = {
    "day": 12 / 365,
    "week": 12 / 52,
    "month": 1,
    "quarter": 3,
    "semester": 6,
    "year": 12,
}


class RecurringContract(models.Model):
    """A customer's subscription: lines billed every period of a rule."""

    _name = "recurring.contract"
    _description = "Contract"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    description = fields.Char(string="Title", tracking=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("paused", "Paused"),
            ("terminated", "Terminated"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_invoice_id = fields.Many2one(
        "res.partner",
        string="Invoice Address",
        compute="_compute_partner_addresses",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        check_company=True,
    )
    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Delivery Address",
        compute="_compute_partner_addresses",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        compute="_compute_pricelist_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        compute="_compute_payment_term_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Sales Journal",
        compute="_compute_journal_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
        domain="[('type', '=', 'sale')]",
    )
    date_start = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(
        tracking=True,
        help="Last day of service. Empty for an open-ended contract; renewed "
        "automatically when auto-renewal is on.",
    )
    rule_id = fields.Many2one(
        "recurring.rule",
        string="Recurrence",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.company.recurring_rule_id,
    )
    proration_method = fields.Selection(
        PRORATION_METHODS,
        required=True,
        default=lambda self: self.env.company.recurring_proration_method,
        help="How a partial period is priced.",
    )
    notice_days = fields.Integer(
        string="Notice period (days)",
        default=30,
        help="Days between the termination request and the last day of service.",
    )
    notice_date = fields.Date(
        string="Notice deadline",
        compute="_compute_notice_date",
        help="Last day to give notice so that the contract ends (or is not "
        "renewed) at its end date.",
    )
    auto_renew = fields.Boolean(
        help="At its end date, the contract is renewed for the renewal term unless "
        "it was terminated before the notice period."
    )
    renewal_months = fields.Integer(string="Renewal term (months)", default=12)
    credit_on_termination = fields.Boolean(
        default=True,
        help="When terminated inside an already invoiced period, issue a prorated "
        "credit note for the days after the last day of service.",
    )
    termination_date = fields.Date(readonly=True, copy=False, tracking=True)
    termination_reason = fields.Text(readonly=True, copy=False)
    line_ids = fields.One2many("recurring.contract.line", "contract_id", copy=True)
    period_ids = fields.One2many("recurring.period", "contract_id")
    pause_ids = fields.One2many("recurring.contract.pause", "contract_id")
    sale_order_ids = fields.Many2many(
        "sale.order",
        "recurring_contract_sale_order_rel",
        "contract_id",
        "order_id",
        string="Sale Orders",
        copy=False,
    )
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")
    order_count = fields.Integer(compute="_compute_order_count")
    period_count = fields.Integer(compute="_compute_period_count")
    recurring_total = fields.Monetary(
        string="Amount per period",
        compute="_compute_recurring_total",
        store=True,
    )
    mrr = fields.Monetary(
        string="MRR",
        compute="_compute_recurring_total",
        store=True,
        help="Monthly recurring revenue: the untaxed amount per period brought "
        "to one month.",
    )
    arr = fields.Monetary(string="ARR", compute="_compute_recurring_total", store=True)
    invoiced_until = fields.Date(compute="_compute_invoiced_until", store=True)
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
        help="When the next unbilled period falls due, from the period ledger.",
    )
    invoicing_error = fields.Text(readonly=True, copy=False)
    # The open failure of a cron on this contract, reported once (one
    # message, one activity) and closed when the cron next succeeds.
    invoicing_error_source = fields.Selection(
        [("invoicing", "Invoicing cron"), ("revision", "Price revision cron")],
        string="Failing cron",
        readonly=True,
        copy=False,
    )
    invoicing_error_count = fields.Integer(
        string="Failures in a row", readonly=True, copy=False
    )
    invoicing_error_since = fields.Datetime(
        string="Failing since", readonly=True, copy=False
    )
    invoicing_error_message_id = fields.Many2one(
        "mail.message",
        string="Failure message",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    invoicing_error_activity_id = fields.Many2one(
        "mail.activity",
        string="Failure activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    revision_method = fields.Selection(
        [
            ("none", "No revision"),
            ("percentage", "Percentage"),
            ("index", "Index"),
        ],
        string="Price revision",
        default="none",
        required=True,
        tracking=True,
        help="Prices are revised at each anniversary of the contract, effective "
        "from the first period starting on or after it.",
    )
    revision_percentage = fields.Float(string="Yearly increase (%)", digits=(5, 2))
    revision_index_id = fields.Many2one("recurring.price.index", string="Index")
    revision_base_value = fields.Float(
        string="Base index value (S0)",
        digits=(16, 4),
        help="Index value of the base reference period; with a chained base it "
        "becomes the value used at each revision.",
    )
    revision_cap = fields.Float(
        string="Cap (%)",
        digits=(5, 2),
        help="Largest increase allowed per revision; leave empty for none.",
    )
    revision_floor = fields.Float(
        string="Floor (%)",
        digits=(5, 2),
        help="Smallest change allowed per revision: 0 forbids decreases.",
    )
    revision_has_cap = fields.Boolean(string="Capped")
    revision_has_floor = fields.Boolean(string="Floored")
    revision_fixed_base = fields.Boolean(
        string="Fixed base",
        help="Always revise from the original prices and base index value, as "
        "some contract clauses require; by default each revision starts from "
        "the previous one (chained).",
    )
    last_revision_date = fields.Date(readonly=True, copy=False)

    _name_company_unique = models.Constraint(
        "UNIQUE (name, company_id)", "A contract reference must be unique."
    )
    _dates_order = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "A contract cannot end before it starts.",
    )
    _notice_positive = models.Constraint(
        "CHECK (notice_days >= 0)", "The notice period cannot be negative."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_partner_addresses(self):
        for contract in self:
            addresses = contract.partner_id.address_get(["invoice", "delivery"])
            contract.partner_invoice_id = addresses["invoice"]
            contract.partner_shipping_id = addresses["delivery"]

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        for contract in self:
            partner = contract.partner_id.with_company(contract.company_id)
            contract.pricelist_id = partner.property_product_pricelist

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        for contract in self:
            contract.currency_id = (
                contract.pricelist_id.currency_id or contract.company_id.currency_id
            )

    @api.depends("partner_id", "company_id")
    def _compute_payment_term_id(self):
        for contract in self:
            partner = contract.partner_id.with_company(contract.company_id)
            contract.payment_term_id = partner.property_payment_term_id

    @api.depends("partner_id", "partner_shipping_id", "company_id")
    def _compute_fiscal_position_id(self):
        for contract in self:
            contract.fiscal_position_id = (
                self.env["account.fiscal.position"]
                .with_company(contract.company_id)
                ._get_fiscal_position(
                    contract.partner_invoice_id or contract.partner_id,
                    delivery=contract.partner_shipping_id,
                )
            )

    @api.depends("company_id")
    def _compute_journal_id(self):
        for contract in self:
            contract.journal_id = contract.company_id._get_sale_journal()

    @api.depends("date_end", "notice_days")
    def _compute_notice_date(self):
        for contract in self:
            contract.notice_date = contract.date_end and (
                contract.date_end - timedelta(days=contract.notice_days)
            )

    @api.depends("period_ids.move_id")
    def _compute_invoice_ids(self):
        for contract in self:
            moves = contract.period_ids.move_id | contract.period_ids.mapped(
                "credit_move_line_ids.move_id"
            )
            contract.invoice_ids = moves
            contract.invoice_count = len(moves)

    @api.depends("sale_order_ids")
    def _compute_order_count(self):
        for contract in self:
            contract.order_count = len(contract.sale_order_ids)

    @api.depends("period_ids")
    def _compute_period_count(self):
        for contract in self:
            contract.period_count = len(contract.period_ids)

    @api.depends(
        "line_ids.price_subtotal",
        "line_ids.date_start",
        "line_ids.date_end",
        "rule_id.unit",
        "rule_id.interval",
        "state",
    )
    def _compute_recurring_total(self):
        today = fields.Date.context_today(self)
        for contract in self:
            lines = contract.line_ids.filtered(
                lambda line: not line.date_end or line.date_end >= today
            )
            total = sum(lines.mapped("price_subtotal"))
            contract.recurring_total = total
            months = MONTHS_PER_UNIT.get(contract.rule_id.unit, 1) * (
                contract.rule_id.interval or 1
            )
            running = contract.state in ("active", "paused")
            contract.mrr = total / months if running else 0.0
            contract.arr = contract.mrr * 12

    @api.depends("line_ids.invoiced_until")
    def _compute_invoiced_until(self):
        for contract in self:
            contract.invoiced_until = max(
                filter(None, contract.line_ids.mapped("invoiced_until")), default=False
            )

    @api.depends(
        "state",
        "rule_id",
        "date_end",
        "termination_date",
        "line_ids.date_start",
        "line_ids.date_end",
        "period_ids.state",
        "pause_ids.date_start",
        "pause_ids.date_end",
    )
    def _compute_next_invoice_date(self):
        for contract in self:
            if contract.state not in BILLABLE_STATES:
                contract.next_invoice_date = False
                continue
            dates = [
                charge.scheduled_date
                for line in contract.line_ids
                for charge in contract._due_charges(line, limit=1)
            ]
            contract.next_invoice_date = min(dates, default=False)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("rule_id", "proration_method")
    def _check_proration_method(self):
        for contract in self:
            if contract.proration_method == "30_360" and contract.rule_id.unit in (
                "day",
                "week",
            ):
                raise ValidationError(
                    self.env._(
                        "30/360 proration applies to monthly-type recurrences "
                        "only; contract %(contract)s is billed by %(unit)s.",
                        contract=contract.display_name,
                        unit=contract.rule_id.unit,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("recurring.contract") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.period_ids:
            raise UserError(
                self.env._(
                    "A contract with billed periods cannot be deleted; close or "
                    "archive it instead."
                )
            )

    def _creation_message(self):
        """'Contract created' in one language: mail's generic message guesses
        the language of its text from the user when the context has none, but
        reads the model name in the context's language, so a contract created
        without a language in the context (data loading, crons, sudo flows)
        logged "Recurring Contract créé"."""
        self.ensure_one()
        lang = self.env.lang or self.env.user.lang or "en_US"
        env = self.with_context(lang=lang).env
        return env._(
            "%(document)s created",
            document=env["ir.model"]._get(self._name).name,
        )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft contract can be activated (%(contract)s).",
                        contract=contract.display_name,
                    )
                )
            if not contract.line_ids:
                raise UserError(
                    self.env._(
                        "Add at least one line to contract %(contract)s before "
                        "activating it.",
                        contract=contract.display_name,
                    )
                )
        self.write({"state": "active"})
        return True

    def action_set_draft(self):
        if self.period_ids.filtered(lambda p: p.state != "cancelled"):
            raise UserError(
                self.env._("A contract with billed periods cannot go back to draft.")
            )
        self.write({"state": "draft"})
        return True

    def action_create_invoices(self):
        return self._action_view_moves(self._invoice_now())

    def _invoice_now(self):
        """Invoice what is due today on these contracts; returns the invoices."""
        if not self:
            return self.env["account.move"]
        date = fields.Date.context_today(self)
        return self.env["recurring.invoicing"]._invoice_contracts(self, date)

    def action_view_invoices(self):
        return self._action_view_moves(self.invoice_ids)

    def _action_view_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    def _portal_invoices(self):
        """The contract's posted invoices and credit notes, newest first, as
        the portal shows them (the page is rendered with sudo)."""
        self.ensure_one()
        return self.invoice_ids.filtered(lambda move: move.state == "posted").sorted(
            lambda move: (move.invoice_date, move.id), reverse=True
        )

    def action_view_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("id", "in", self.sale_order_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_periods(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.recurring_period_action"
        )
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _recurrence(self):
        """The contract's rule as the engine's plain-Python recurrence."""
        self.ensure_one()
        return self.rule_id._to_recurrence()

    def _anchor(self, recurrence=None):
        """All lines of a contract share its anchor, so an upsell line added
        mid-period gets a prorated first period and then falls due with the
        others."""
        self.ensure_one()
        return (recurrence or self._recurrence()).anchor_for(self.date_start)

    def _period_bounds(self, day):
        """(first day, last day) of the contract's period holding ``day``."""
        self.ensure_one()
        recurrence = self._recurrence()
        month_end = recurrence.sticks_to_month_end
        anchor = self._anchor(recurrence)
        n = recurrence_tools.period_index(
            anchor, day, recurrence.unit, recurrence.interval, month_end
        )
        return recurrence_tools.period_bounds(
            anchor, n, recurrence.unit, recurrence.interval, month_end
        )

    def _period_end(self, day):
        """Last day of the contract's period holding ``day``."""
        return self._period_bounds(day)[1]

    def _service_end(self, line):
        """Last day the line may be billed: its end, the contract's, termination."""
        ends = [d for d in (line.date_end, self.date_end, self.termination_date) if d]
        return min(ends, default=None)

    def _pauses(self):
        return [(pause.date_start, pause.date_end) for pause in self.pause_ids]

    def _due_charges(self, line, up_to=None, limit=None):
        """The line's unbilled periods, in order, from the engine.

        ``up_to`` keeps those scheduled on or before that date; ``limit`` keeps
        the first ones (the next invoice date needs one).
        """
        billed = {
            period.period_start
            for period in line.period_ids
            if period.state != "cancelled"
        }
        return self._line_due_charges(
            line, self._recurrence(), billed, up_to, limit, self.proration_method
        )

    def _line_due_charges(self, line, recurrence, billed, up_to, limit, method):
        """The engine's charges of ``line`` under ``recurrence``, its periods
        starting on a day of ``billed`` left out."""
        self.ensure_one()
        return recurrence_tools.due_charges(
            recurrence,
            self._anchor(recurrence),
            line_start=line.date_start,
            line_end=self._service_end(line),
            pauses=self._pauses(),
            billed_starts=billed,
            up_to=up_to,
            limit=limit,
            method=method,
        )

    # ------------------------------------------------------------------
    # Cron failures, reported once (recurring.cron.failure)
    # ------------------------------------------------------------------

    def _record_invoicing_error(self, error, source="invoicing"):
        """Keep the error on the contract and tell its responsible, once.

        :param error: the exception (or text) of the failure
        :param source: ``invoicing`` or ``revision``, the cron that failed
        """
        self.ensure_one()
        self.env["recurring.cron.failure"]._record(self, error, source)

    def _resolve_invoicing_error(self, source="invoicing"):
        """Close the contracts' open failure of ``source``, if any."""
        self.env["recurring.cron.failure"]._resolve(self, source)

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def action_open_pause_wizard(self):
        return self._open_wizard(
            "recurring_billing.recurring_contract_pause_wizard_action"
        )

    def action_open_terminate_wizard(self):
        return self._open_wizard(
            "recurring_billing.recurring_contract_terminate_wizard_action"
        )

    def _open_wizard(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["context"] = {"default_contract_id": self.id}
        return action

    def _pause(self, date_start, date_end, reason):
        """Stop billing from ``date_start`` until the day before ``date_end``;
        days already invoiced in advance inside the pause are credited."""
        self.ensure_one()
        if self.state not in ("active", "paused"):
            raise UserError(
                self.env._(
                    "Only a running contract can be paused (%(contract)s).",
                    contract=self.display_name,
                )
            )
        pause = self.env["recurring.contract.pause"].create(
            {
                "contract_id": self.id,
                "date_start": date_start,
                "date_end": date_end,
                "reason": reason,
            }
        )
        self.env["recurring.invoicing"]._credit_billed_days(
            self,
            date_start,
            date_end and date_end - timedelta(days=1),
            self.env._("Pause: %(reason)s", reason=reason),
            pause=pause,
        )
        self._update_pause_state()
        self.message_post(
            body=self.env._(
                "Paused from %(start)s%(end)s: %(reason)s",
                start=date_start,
                end=self.env._(" until %(date)s", date=date_end) if date_end else "",
                reason=reason,
            )
        )

    def action_resume(self):
        """End the open pause today; billing starts again today."""
        today = fields.Date.context_today(self)
        for contract in self:
            pause = contract.pause_ids.filtered(
                lambda p: p.date_start <= today
                and (not p.date_end or p.date_end > today)
            )
            if not pause:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s is not paused today.",
                        contract=contract.display_name,
                    )
                )
            pause.date_end = max(today, pause.date_start + timedelta(days=1))
            contract._update_pause_state()
            contract.message_post(
                body=self.env._("Resumed on %(date)s.", date=pause.date_end)
            )
        return True

    def _update_pause_state(self, today=None):
        today = today or fields.Date.context_today(self)
        for contract in self.filtered(lambda c: c.state in ("active", "paused")):
            paused = any(
                p.date_start <= today and (not p.date_end or p.date_end > today)
                for p in contract.pause_ids
            )
            state = "paused" if paused else "active"
            if contract.state != state:
                contract.state = state

    def _terminate(self, last_day, reason, ignore_notice=False):
        """End the service on ``last_day``: nothing after it is billed and,
        when the contract says so, prepaid days after it are credited."""
        self.ensure_one()
        if self.state not in ("draft", "active", "paused"):
            raise UserError(
                self.env._(
                    "Contract %(contract)s is already terminated.",
                    contract=self.display_name,
                )
            )
        today = fields.Date.context_today(self)
        earliest = today + timedelta(days=self.notice_days)
        if last_day < earliest and not ignore_notice:
            raise UserError(
                self.env._(
                    "With a notice period of %(days)s days, contract %(contract)s "
                    "can end on %(date)s at the earliest.",
                    days=self.notice_days,
                    contract=self.display_name,
                    date=earliest,
                )
            )
        if ignore_notice and last_day < earliest:
            if not self.env.user.has_group("recurring_billing.group_billing_manager"):
                raise UserError(
                    self.env._("Only a billing manager can waive the notice period.")
                )
        if last_day < self.date_start:
            raise UserError(self.env._("A contract cannot end before it starts."))
        self.write(
            {
                "state": "terminated",
                "termination_date": last_day,
                "termination_reason": reason,
            }
        )
        if self.credit_on_termination:
            self.env["recurring.invoicing"]._credit_billed_days(
                self,
                last_day + timedelta(days=1),
                None,
                self.env._("Termination: %(reason)s", reason=reason),
            )
        self.message_post(
            body=self.env._(
                "Terminated: last day of service %(date)s. %(reason)s",
                date=last_day,
                reason=reason,
            )
        )

    @api.model
    def _cron_update_states(self):
        """Daily: pauses start and end, terminated contracts close, open
        contracts with auto-renewal are renewed once their notice has passed."""
        today = fields.Date.context_today(self)
        self.search([("state", "in", ("active", "paused"))])._update_pause_state(today)
        ended = self.search(
            [
                ("state", "=", "terminated"),
                ("termination_date", "<", today),
                ("next_invoice_date", "=", False),
            ]
        )
        ended.write({"state": "closed"})
        self.search(
            [
                ("state", "in", ("active", "paused")),
                ("auto_renew", "=", True),
                ("date_end", "!=", False),
            ]
        )._renew(today)

    def _renew(self, today):
        for contract in self:
            deadline = contract.date_end - timedelta(days=contract.notice_days)
            if today < deadline:
                continue
            next_start = contract.date_end + timedelta(days=1)
            new_end = next_start + relativedelta(months=contract.renewal_months)
            contract.date_end = new_end - timedelta(days=1)
            contract.message_post(
                body=self.env._(
                    "Renewed until %(date)s (no termination before the notice period).",
                    date=contract.date_end,
                )
            )

    # ------------------------------------------------------------------
    # Price revision (recurring.price.revision)
    # ------------------------------------------------------------------

    @api.model
    def _cron_revise_prices(self):
        """Daily: the cron's entry point, kept on the contract for databases
        whose (noupdate) cron calls it; the work is the service's."""
        self.env["recurring.price.revision"]._cron_revise_prices()

    def _revise_prices(self, revision_date):
        """Revise the contract's prices at ``revision_date`` now."""
        self.ensure_one()
        return self.env["recurring.price.revision"]._revise(self, revision_date)
