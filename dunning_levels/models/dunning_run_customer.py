# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from collections import defaultdict

from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.tools import format_amount, formatLang

from odoo.addons.account_invoice_fr.tools import rates

from ..tools import engine
from ..tools.penalties import is_overdue
from .dunning_run_line import insert_rows

SKIP_REASONS = [
    ("nothing_due", "Nothing overdue"),
    ("below_tolerance", "Below the tolerance"),
    ("no_level", "No level reached yet"),
    ("no_policy", "No dunning policy"),
    ("manual_pause", "Paused"),
    ("quiet_period", "Quiet period"),
    ("promise_to_pay", "Promise to pay"),
    ("dispute", "Dispute"),
    ("direct_debit", "Pending direct debit"),
    ("min_interval", "Reminded recently"),
    ("nothing_new", "Level already sent"),
]
# Reasons worth keeping a line for in a run (the others: nothing to say).
SHOWN_REASONS = {
    "manual_pause",
    "quiet_period",
    "promise_to_pay",
    "dispute",
    "direct_debit",
    "min_interval",
    "nothing_new",
    "below_tolerance",
}


class DunningRunCustomer(models.Model):
    """One customer in one run: the message sent (or why none was)."""

    _name = "dunning.run.customer"
    _description = "Dunning Reminder"
    _order = "run_id desc, level_sequence desc, amount_total desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    run_id = fields.Many2one(
        "dunning.run", required=True, ondelete="cascade", index=True
    )
    date = fields.Date(related="run_id.date", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True)
    # Stored and given at creation: a related currency would be computed
    # record by record when the amounts are converted on create.
    currency_id = fields.Many2one("res.currency", required=True)
    policy_id = fields.Many2one("dunning.policy")
    level_id = fields.Many2one("dunning.level", string="Level")
    level_sequence = fields.Integer(
        string="Level number", related="level_id.sequence", store=True
    )
    formal_notice = fields.Boolean(related="level_id.formal_notice")
    recipient_id = fields.Many2one("res.partner", string="Recipient")
    preview = fields.Boolean(readonly=True, index=True)
    state = fields.Selection(
        [
            ("to_send", "To send"),
            ("skipped", "Skipped"),
            ("sent", "Sent"),
            ("error", "Error"),
        ],
        required=True,
        default="to_send",
    )
    skip_reason = fields.Selection(SKIP_REASONS)
    explanation = fields.Text(
        help="Why this level (or no reminder), as computed by the engine."
    )
    summary = fields.Char(
        string="Why",
        help="The first line of the explanation, or the error.",
    )
    error = fields.Text()
    channels = fields.Char(
        string="Channel codes",
        help="Channels of the message (email, letter, activity): those that "
        "will be used from the preview on, those used once sent.",
    )
    channels_display = fields.Char(
        string="Channels", compute="_compute_channels_display"
    )
    rate_notes = fields.Json(
        help="Half-years whose penalties wait for the rate table's figures, or "
        "were computed at the legal floor instead of the contractual rate."
    )
    days_late = fields.Integer(help="Lateness of the oldest overdue invoice.")
    oldest_due_date = fields.Date()
    amount_overdue = fields.Monetary(string="Net overdue")
    amount_penalty = fields.Monetary(string="Penalties")
    amount_indemnity = fields.Monetary(string="Indemnities")
    amount_total = fields.Monetary(string="Total claimed")
    next_action_date = fields.Date()
    line_ids = fields.One2many("dunning.run.line", "run_customer_id")
    action_ids = fields.One2many("dunning.action", "run_customer_id")
    message_id = fields.Many2one("mail.message", string="Email")
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter")
    lrar_number = fields.Char(
        string="Registered letter number",
        help="Number of the registered letter with acknowledgement (LRAR) of "
        "a formal notice.",
    )
    lrar_proof = fields.Binary(string="Acknowledgement of receipt", attachment=True)
    charge_move_ids = fields.Many2many(
        "account.move", string="Charges invoices", readonly=True
    )

    _run_partner_unique = models.UniqueIndex(
        "(run_id, partner_id) WHERE NOT preview",
        "A customer receives one message per run.",
    )

    @api.depends("channels")
    def _compute_channels_display(self):
        labels = dict(
            self.env["dunning.action"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        for customer in self:
            codes = (customer.channels or "").split(", ")
            customer.channels_display = ", ".join(
                labels.get(code, code) for code in codes if code
            )

    # ------------------------------------------------------------------
    # Creation from the engine's results
    # ------------------------------------------------------------------

    @api.model
    def _create_from_results(self, run, results, preview):
        values = []
        partners = self.env["res.partner"].browse(results).with_company(run.company_id)
        names = {
            group.currency
            for result in results.values()
            if result["evaluation"]
            for group in result["evaluation"].groups
        }
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(names))])
        }
        # the recipients' blacklist state in one query (each customer's
        # channels read it below, one recipient at a time)
        self.env["res.partner"].union(
            *(partner._dunning_recipient() for partner in partners)
        ).mapped("is_blacklisted")
        for partner in partners:
            result = results[partner.id]
            vals = self._prepare_values(run, partner, result, preview, currencies)
            if vals:
                values.append(vals)
        lines = [vals.pop("lines", []) for vals in values]
        customers = self._insert(values)
        self.env["dunning.run.line"]._insert(
            [
                dict(line, run_customer_id=customer.id)
                for customer, customer_lines in zip(customers, lines, strict=True)
                for line in customer_lines
            ]
        )
        return customers

    @api.model
    def _insert(self, values_list):
        """Insert a chunk's reminders in one query and return them.

        The values come from :meth:`_prepare_values`, whole: the run's
        company and currency, amounts converted and rounded here to the
        company currency; the two stored related fields (date, level number)
        are read from the run and the levels. The ORM's ``create`` cost a
        quarter of a preview (field conversions and cache updates, record by
        record), as it did for the lines (``dunning.run.line._insert``).
        """
        if not values_list:
            return self.browse()
        self.check_access("create")
        runs = self.env["dunning.run"].browse({v["run_id"] for v in values_list})
        dates = {run.id: run.date for run in runs}
        levels = self.env["dunning.level"].browse(
            {v["level_id"] for v in values_list if v.get("level_id")}
        )
        sequences = {level.id: level.sequence for level in levels}
        currencies = self.env["res.currency"].browse(
            {v["currency_id"] for v in values_list}
        )
        names = sorted(set().union(*values_list))
        rows = [
            [
                *(
                    self._insert_value(
                        name, vals.get(name), currencies.browse(vals["currency_id"])
                    )
                    for name in names
                ),
                dates[vals["run_id"]],
                sequences.get(vals.get("level_id")),
            ]
            for vals in values_list
        ]
        ids = insert_rows(
            self.env, self._table, [*names, "date", "level_sequence"], rows
        )
        self.invalidate_model()
        runs.invalidate_recordset(["customer_ids"])
        return self.browse(ids)

    @api.model
    def _insert_value(self, name, value, currency):
        field = self._fields[name]
        if field.type == "boolean":
            return bool(value)
        if field.type == "monetary":
            return currency.round(value or 0.0)
        if field.type == "json":
            return Json(value) if value else None
        if value is False:
            return None
        return value

    @api.model
    def _prepare_values(self, run, partner, result, preview, currencies):
        evaluation = result["evaluation"]
        base = {
            "run_id": run.id,
            "partner_id": partner.id,
            "company_id": run.company_id.id,
            "currency_id": run.company_id.currency_id.id,
            "policy_id": result["policy"].id,
            "preview": preview,
            "next_action_date": result["next_date"],
        }
        Evaluation = self.env["dunning.evaluation"]
        explanation = Evaluation._explain(
            evaluation, result.get("left_out", []), run.company_id, currencies
        )
        if explanation:
            base |= {
                "explanation": explanation,
                "summary": explanation.split("\n", 1)[0],
            }
        if result["error"]:
            return base | {
                "state": "error",
                "error": result["error"],
                "summary": result["error"].split("\n", 1)[0],
            }
        reason = result["reason"]
        if evaluation is None:
            if reason in SHOWN_REASONS:
                return base | {"state": "skipped", "skip_reason": reason}
            return None
        if reason and reason not in SHOWN_REASONS:
            return None
        level = result["policy"].level_ids.filtered(
            lambda lv: lv.sequence == evaluation.level_sequence
        )
        new_items = {action.item_id for action in evaluation.actions}
        summary = self._summary(evaluation, run.company_id, run.date, currencies)
        lines = []
        for group in evaluation.groups:
            if not group.chased:
                continue
            currency = currencies[group.currency]
            for line in group.invoices:
                lines.append(
                    {
                        "move_id": line.item_id,
                        "kind": "invoice",
                        "name": line.name,
                        "invoice_date": line.invoice_date,
                        "due_date": line.due_date,
                        "days_late": line.days_late,
                        "currency_id": currency.id,
                        "residual": float(line.residual),
                        "disputed_amount": float(line.disputed_amount),
                        "amount_due": float(line.amount_due),
                        "penalty": float(line.penalty_amount),
                        "indemnity": float(line.indemnity),
                        "level_sequence": line.level_sequence,
                        "new_action": line.item_id in new_items,
                    }
                )
            for credit in group.credits:
                lines.append(
                    {
                        "move_id": credit.item_id,
                        "kind": credit.kind,
                        "name": credit.name,
                        "currency_id": currency.id,
                        "residual": -float(credit.amount),
                        "amount_due": -float(credit.amount),
                    }
                )
        recipient = partner._dunning_recipient()
        Send = self.env["dunning.send"]
        channels = Send._planned_channels(level, recipient)[0] if level else []
        return (
            base
            | summary
            | {
                "state": "skipped" if reason else "to_send",
                "skip_reason": reason,
                "level_id": level.id,
                "recipient_id": recipient.id,
                "channels": ", ".join(channels) if not reason else False,
                "days_late": evaluation.driving_days_late,
                "rate_notes": self._rate_notes_values(evaluation) or False,
                "lines": lines,
            }
        )

    @api.model
    def _rate_notes_values(self, evaluation):
        """The evaluation's rate notes as plain JSON values."""
        return [
            {
                "key": note.key,
                "year": note.params["year"],
                "half": note.params["half"],
                "contractual_rate": str(note.params.get("contractual_rate") or ""),
                "floor_rate": str(note.params.get("floor_rate") or ""),
            }
            for note in evaluation.notes
            if note.key
            in (
                engine.NOTE_RATE_MISSING,
                engine.NOTE_RATE_FLOOR,
                engine.NOTE_RATE_UNCHECKED,
            )
            and evaluation.level is not None
            and evaluation.level.claim_penalties
        ]

    @api.model
    def _summary(self, evaluation, company, on_date, currencies):
        """Totals of the chased groups, in the company currency."""
        totals = defaultdict(float)
        oldest = None
        for group in evaluation.groups:
            if not group.chased:
                continue
            currency = currencies[group.currency]
            for key, amount in (
                ("amount_overdue", group.net_overdue),
                ("amount_penalty", group.penalty_total),
                ("amount_indemnity", group.indemnity_total),
                ("amount_total", group.total_claimed),
            ):
                totals[key] += currency._convert(
                    float(amount), company.currency_id, company, on_date
                )
            due = [line.due_date for line in group.overdue_invoices]
            if due:
                oldest = min([*due, oldest] if oldest else due)
        return dict(totals) | {"oldest_due_date": oldest}

    # ------------------------------------------------------------------
    # Rendering helpers (mail template, letter, statement)
    # ------------------------------------------------------------------

    def _lang(self):
        """The language of the documents: the recipient's, else the
        customer's."""
        return self.recipient_id.lang or self.partner_id.lang or self.env.lang

    def _currency_summaries(self):
        """Per currency: the lines and their totals, for the documents."""
        self.ensure_one()
        summaries = []
        for currency, lines in self.line_ids.grouped("currency_id").items():
            invoices = lines.filtered(lambda line: line.kind == "invoice")
            credits = lines - invoices
            overdue = invoices.filtered(
                lambda line: is_overdue(line.due_date, self.date)
            )
            net = sum(overdue.mapped("amount_due")) + sum(credits.mapped("amount_due"))
            penalty = sum(invoices.mapped("penalty"))
            indemnity = sum(invoices.mapped("indemnity"))
            summaries.append(
                {
                    "currency": currency,
                    "invoices": overdue,
                    "not_due": invoices - overdue,
                    "credits": credits,
                    "net": net,
                    "penalty": penalty,
                    "indemnity": indemnity,
                    "total": net + penalty + indemnity,
                }
            )
        return summaries

    def _letter_text(self):
        self.ensure_one()
        return self.level_id.with_context(lang=self._lang()).letter_text

    def _late_payment_terms(self):
        return self.company_id._get_late_payment_terms(self.date)

    def _penalty_rate_text(self):
        """The penalty sentence of the letter and the email, in the current
        language: the rule, with the rate of the run's half-year if known."""
        self.ensure_one()
        rate = self._late_payment_terms()["penalty_rate"]
        if rate is None:
            return self.env._(
                "Late-payment penalties run from the day after the due date, "
                "without any reminder, at the European Central Bank's main "
                "refinancing rate plus 10 percentage points; a fixed indemnity "
                "of %(indemnity)s for recovery costs is due for each invoice paid "
                "late (Code de commerce, articles L441-10 and D441-5).",
                indemnity=self._indemnity_text(),
            )
        return self.env._(
            "Late-payment penalties run from the day after the due date, without "
            "any reminder, at the annual rate of %(rate)s %%; a fixed indemnity "
            "of %(indemnity)s for recovery costs is due for each invoice paid "
            "late (Code de commerce, articles L441-10 and D441-5).",
            rate=formatLang(self.env, float(rate), digits=2),
            indemnity=self._indemnity_text(),
        )

    def _indemnity_text(self):
        company = self.company_id
        return format_amount(
            self.env,
            company.late_payment_indemnity,
            company.late_payment_indemnity_currency_id,
        )

    def _payment_bank_accounts(self):
        """The company's bank accounts to pay to: those of the invoices
        reminded, else the bank journals' accounts, else the company's."""
        self.ensure_one()
        company = self.company_id
        accounts = self.line_ids.filtered(
            lambda line: line.kind == "invoice"
        ).move_id.partner_bank_id
        if not accounts:
            accounts = (
                self.env["account.journal"]
                .search(
                    [
                        ("type", "=", "bank"),
                        ("company_id", "=", company.id),
                        ("bank_account_id", "!=", False),
                    ],
                    order="sequence, id",
                    limit=1,
                )
                .bank_account_id
            )
        return accounts or company.partner_id.bank_ids[:1]

    def _penalty_notes(self):
        """What the customer must know about the penalties shown, in the
        current language: a half-year left out until its rates are published,
        or computed at the legal floor instead of the contractual rate."""
        self.ensure_one()
        texts = []
        for note in self.rate_notes or []:
            half_year = rates.half_year_label(note["year"], note["half"])
            if note["key"] == engine.NOTE_RATE_MISSING:
                texts.append(
                    self.env._(
                        "The late-payment penalties for the days late in "
                        "%(half_year)s are not included: the reference rates of "
                        "that half-year are not yet available to us. They remain "
                        "due and will be claimed later.",
                        half_year=half_year,
                    )
                )
            elif note["key"] == engine.NOTE_RATE_FLOOR:
                texts.append(
                    self.env._(
                        "For %(half_year)s, our contractual penalty rate of "
                        "%(rate)s %% is below the legal minimum of three times "
                        "the legal interest rate (Code de commerce, article "
                        "L441-10): the penalties of that half-year are computed "
                        "at %(floor)s %%.",
                        half_year=half_year,
                        rate=formatLang(
                            self.env, float(note["contractual_rate"]), digits=2
                        ),
                        floor=formatLang(self.env, float(note["floor_rate"]), digits=2),
                    )
                )
        return texts

    def action_attach_lrar_proof(self):
        """Keep the proof of the registered letter on the customer's chatter."""
        for customer in self.filtered("lrar_proof"):
            customer.partner_id.sudo().message_post(
                body=self.env._(
                    "Formal notice sent by registered letter %(number)s.",
                    number=customer.lrar_number or "",
                ),
                attachments=[
                    (
                        self.env._(
                            "Acknowledgement %(number)s.pdf",
                            number=customer.lrar_number or "",
                        ),
                        base64.b64decode(customer.lrar_proof),
                    )
                ],
                subtype_xmlid="mail.mt_note",
            )
        return True
