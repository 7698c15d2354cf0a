# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Command

from ..tools import amounts as amount_tools
from ..tools import recurrence as recurrence_tools
from .recurring_contract import BILLABLE_STATES

_logger = logging.getLogger(__name__)


class RecurringInvoicing(models.AbstractModel):
    """Turns due contract periods into invoices.

    Everything is prepared as plain values first, then created in one batch:

    1. :meth:`_prepare_contract_terms` resolves, once per contract, what its
       invoices are (header, post, send);
    2. :meth:`_prepare_charges` lists the due periods (one *charge* each);
    3. :meth:`_group_charges` groups them by :meth:`_get_invoice_grouping_key`;
    4. :meth:`_prepare_invoice_values` and :meth:`_prepare_invoice_line_values`
       turn each group into invoice values whose product lines carry their
       ledger row as a nested command (``recurring_period_ids``), as sale
       links its order lines;
    5. :meth:`_complete_invoices` lets extensions add invoices, lines and
       annotations (consolidated_invoice: one-off charges, minimum amounts);
    6. :meth:`_create_invoices` creates everything in one ``create`` (the
       ledger rows with their lines) and posts what the terms say.

    The ledger's unique index is what makes a second billing of the same
    period impossible, even by a concurrent run: the loser's savepoint rolls
    back its (unnumbered, draft) invoices.

    Prepared values, shared by every extension:

    - a *charge* is a dict with ``contract``, ``line`` (the contract line),
      ``due`` (a ``tools.recurrence`` due period) and ``terms``; extensions may
      add charges of their own kind and build their lines themselves;
    - *terms* (one dict per contract): ``header`` (invoice header values),
      ``post`` and ``send`` (booleans); extensions add keys
      (consolidated_invoice: ``policy``);
    - a *prepared invoice* is a dict with ``values`` (for ``account.move``
      ``create``), ``charges`` (those of its product lines, in line order),
      ``terms``, ``post`` and ``send``; :meth:`_create_invoices` adds
      ``move``, the created invoice.
    """

    _name = "recurring.invoicing"
    _description = "Recurring Invoicing Service"

    # ------------------------------------------------------------------
    # Selection
    # ------------------------------------------------------------------

    @api.model
    def _get_contracts_to_invoice_domain(self, date):
        return [
            ("state", "in", BILLABLE_STATES),
            ("next_invoice_date", "!=", False),
            ("next_invoice_date", "<=", date),
        ]

    @api.model
    def _get_cron_contracts_domain(self, date):
        """The contracts the daily cron bills one by one: every due one here;
        an extension billing them its own way narrows it."""
        return self._get_contracts_to_invoice_domain(date)

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_create_invoices(self, batch_size=200):
        """Daily cron: bill everything due today, company by company, in
        committed chunks; a failing contract is recorded and skipped."""
        date = fields.Date.context_today(self)
        cron = self.env["ir.cron"]
        contracts = self.env["recurring.contract"].search(
            self._get_cron_contracts_domain(date), order="company_id, id"
        )
        remaining = len(contracts)
        for company, company_contracts in contracts.grouped("company_id").items():
            service = self.with_company(company)
            for start in range(0, len(company_contracts), batch_size):
                chunk = company_contracts[start : start + batch_size]
                service._invoice_contracts(chunk.with_company(company), date)
                remaining -= len(chunk)
                cron._commit_progress(len(chunk), remaining=remaining)

    @api.model
    def _invoice_contracts(self, contracts, date, post=None):
        """Bill every period of ``contracts`` scheduled on or before ``date``.

        The whole batch runs under one savepoint; if it fails, each billing
        unit (a contract here) is retried under its own savepoint and a failing
        one gets its error recorded (message and activity) while the others go
        on.
        Returns the created invoices.
        """
        date = fields.Date.to_date(date)
        try:
            with self.env.cr.savepoint():
                return self._create_invoices(contracts, date, post)
        except Exception:
            _logger.info("Batch invoicing failed, retrying contract by contract")
        moves = self.env["account.move"]
        for unit in self._billing_units(contracts):
            try:
                with self.env.cr.savepoint():
                    moves |= self._create_invoices(unit, date, post)
            except Exception as error:
                _logger.warning(
                    "Invoicing %s failed: %s",
                    ", ".join(unit.mapped("name")),
                    error,
                    exc_info=True,
                )
                for contract in unit:
                    contract._record_invoicing_error(error)
        return moves

    @api.model
    def _billing_units(self, contracts):
        """What is retried alone when a batch fails: each contract here."""
        return list(contracts)

    # ------------------------------------------------------------------
    # Preparation
    # ------------------------------------------------------------------

    @api.model
    def _prepare_contract_terms(self, contract):
        """What the invoices of ``contract`` are, resolved once per contract
        and carried by its charges: the header values, and whether they are
        posted and sent (see the class docstring for the keys)."""
        return {
            "header": self._prepare_invoice_header(contract),
            "post": bool(contract.company_id.recurring_auto_post),
            "send": False,
        }

    @api.model
    def _prepare_charges(self, contracts, date):
        """One dict per due period of every line, in a stable order."""
        charges = []
        for contract in contracts.sorted(lambda c: (c.date_start, c.id)):
            for line in contract.line_ids.sorted(lambda ln: (ln.sequence, ln.id)):
                for due in contract._due_charges(line, up_to=date):
                    charges.append({"contract": contract, "line": line, "due": due})
        return charges

    @api.model
    def _get_invoice_grouping_key(self, charge):
        """Charges with the same key go on the same invoice: one per contract."""
        return (charge["contract"].id,)

    @api.model
    def _get_invoice_split_keys(self):
        """Names of invoice header fields (``account.move`` fields that
        :meth:`_prepare_invoice_header` fills) whose different values must
        never share an invoice, whatever the consolidation policy says.
        Extensions add theirs (a collection addon: the payment method)."""
        return []

    @api.model
    def _group_charges(self, charges):
        groups = defaultdict(list)
        for charge in charges:
            groups[self._get_invoice_grouping_key(charge)].append(charge)
        return list(groups.values())

    @api.model
    def _prepare_period_values(self, charge):
        line, due = charge["line"], charge["due"]
        return {
            "contract_line_id": line.id,
            "period_start": due.period_start,
            "period_end": due.period_end,
            "billed_start": due.billed_start,
            "billed_end": due.billed_end,
            "scheduled_date": due.scheduled_date,
            "quantity": line.quantity,
            "price_unit": self._charge_price(charge),
            "price_unit_billed": self._charge_amounts(charge)["price_unit"],
            "discount": line.discount,
            "price_subtotal": self._charge_amounts(charge)["price_subtotal"],
            "proration_numerator": due.numerator,
            "proration_denominator": due.denominator,
            "proration_factor": float(due.factor),
            "proration_note": self._charge_note(charge),
        }

    @api.model
    def _charge_price(self, charge):
        """The unit price in force at the charge's period start (computed once
        per charge: the ledger row and the invoice line both need it)."""
        if "price" not in charge:
            charge["price"] = charge["line"]._price_at(charge["due"].period_start)
        return charge["price"]

    @api.model
    def _charge_amounts(self, charge):
        """The prorated unit price and the untaxed amount of the charge,
        computed once (tools/amounts.py): the invoice line gets this unit
        price, the ledger row this amount, so both show the same figure."""
        if "amounts" not in charge:
            line, due = charge["line"], charge["due"]
            digits = self.env["decimal.precision"].precision_get("Product Price")
            unit = amount_tools.prorated_unit_price(
                self._charge_price(charge), due.factor, digits
            )
            if any(line.tax_ids.mapped("price_include")):
                subtotal = self._tax_excluded_subtotal(charge, float(unit))
            else:
                subtotal = amount_tools.line_subtotal(
                    line.quantity,
                    unit,
                    line.discount,
                    charge["contract"].currency_id.decimal_places,
                )
            charge["amounts"] = {
                "price_unit": float(unit),
                "price_subtotal": float(subtotal),
            }
        return charge["amounts"]

    @api.model
    def _tax_excluded_subtotal(self, charge, price_unit):
        """The untaxed amount of a line whose price includes a tax, as Odoo's
        tax engine computes the invoice line's (``_compute_totals``)."""
        line, contract = charge["line"], charge["contract"]
        Tax = self.env["account.tax"]
        base_line = Tax._prepare_base_line_for_taxes_computation(
            None,
            product_id=line.product_id,
            product_uom_id=line.uom_id,
            tax_ids=line.tax_ids,
            price_unit=price_unit,
            quantity=line.quantity,
            discount=line.discount,
            currency_id=contract.currency_id,
        )
        Tax._add_tax_details_in_base_line(base_line, contract.company_id)
        Tax._round_base_lines_tax_details([base_line], contract.company_id)
        return base_line["tax_details"]["total_excluded_currency"]

    @api.model
    def _charge_note(self, charge):
        """The proration note of the charge, computed once."""
        if "note" not in charge:
            charge["note"] = self._proration_note(charge)
        return charge["note"]

    @api.model
    def _proration_note(self, charge):
        """'Prorated 17/31 days (15/01/2026–31/01/2026) × 100.00 €', in the
        customer's language; False for a full period."""
        due, contract = charge["due"], charge["contract"]
        if due.factor == 1:
            return False
        partner_lang = contract.partner_id.lang or self.env.lang or "en_US"
        env = self.with_context(lang=partner_lang).env
        date_format = env["res.lang"]._get_data(code=partner_lang).date_format
        values = {
            "numerator": due.numerator,
            "denominator": due.denominator,
            "start": due.billed_start.strftime(date_format),
            "end": due.billed_end.strftime(date_format),
            "price": contract.currency_id.format(self._charge_price(charge)),
        }
        if due.method == "30_360":
            return env._(
                "Prorated %(numerator)s/%(denominator)s, 30/360 "
                "(%(start)s–%(end)s) × %(price)s",
                **values,
            )
        return env._(
            "Prorated %(numerator)s/%(denominator)s days (%(start)s–%(end)s) × "
            "%(price)s",
            **values,
        )

    @api.model
    def _prepare_invoice_line_values(self, charge):
        line, due = charge["line"], charge["due"]
        note = self._charge_note(charge)
        name = f"{line.name}\n{note}" if note else line.name
        return {
            "display_type": "product",
            "product_id": line.product_id.id,
            "name": name,
            "quantity": line.quantity,
            "product_uom_id": line.uom_id.id,
            "price_unit": self._charge_amounts(charge)["price_unit"],
            "discount": line.discount,
            "tax_ids": [Command.set(line.tax_ids.ids)],
            "service_start_date": due.billed_start,
            "service_end_date": due.billed_end,
            # the ledger row is created with its line (sale's habit with
            # sale_line_ids): never matched to it afterwards by position
            "recurring_period_ids": [
                Command.create(self._prepare_period_values(charge))
            ],
        }

    @api.model
    def _prepare_invoice_values(self, charges, date):
        """Invoice values for a group of charges (all of one contract here)."""
        return dict(
            charges[0]["terms"]["header"], invoice_date=date, invoice_line_ids=[]
        )

    @api.model
    def _prepare_invoice_header(self, contract):
        """The invoice header fields a contract asks for."""
        return {
            "move_type": "out_invoice",
            "company_id": contract.company_id.id,
            "partner_id": contract.partner_invoice_id.id,
            "partner_shipping_id": contract.partner_shipping_id.id,
            "currency_id": contract.currency_id.id,
            "journal_id": contract.journal_id.id,
            "invoice_payment_term_id": contract.payment_term_id.id,
            "fiscal_position_id": contract.fiscal_position_id.id,
            "invoice_user_id": contract.user_id.id,
            "invoice_origin": contract.name,
        }

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    @api.model
    def _prepare_invoice_line_commands(self, group):
        """The invoice lines of a group of charges, numbered in order."""
        return [
            Command.create(
                dict(self._prepare_invoice_line_values(charge), sequence=index)
            )
            for index, charge in enumerate(group, start=1)
        ]

    @api.model
    def _prepare_invoices(self, contracts, date):
        """Everything the run would create, as prepared invoices (see the
        class docstring). Preview and run both go through here."""
        terms = {
            contract.id: self._prepare_contract_terms(contract)
            for contract in contracts
        }
        charges = self._prepare_charges(contracts, date)
        for charge in charges:
            charge.setdefault("terms", terms[charge["contract"].id])
        invoices = []
        for group in self._group_charges(charges):
            values = self._prepare_invoice_values(group, date)
            values["invoice_line_ids"] += self._prepare_invoice_line_commands(group)
            group_terms = group[0]["terms"]
            invoices.append(
                {
                    "values": values,
                    "charges": group,
                    "terms": group_terms,
                    "post": group_terms["post"],
                    "send": group_terms["send"],
                }
            )
        return self._complete_invoices(invoices, contracts, date, terms)

    @api.model
    def _complete_invoices(self, invoices, contracts, date, terms):
        """Hook after the contracts' charges are grouped into invoices:
        extensions add invoices or lines of their own and annotate them.

        :param invoices: the prepared invoices (list of dicts, changed in place)
        :param contracts: the contracts being billed
        :param date: the billing date
        :param terms: the terms of each contract, by contract id
        :return: the prepared invoices
        """
        return invoices

    @api.model
    def _create_invoices(self, contracts, date, post=None, invoices=None):
        """Create the prepared invoices in one batch, with their ledger rows
        (nested in their lines), then post those whose terms say so, or all of
        them if ``post`` is given (True or False). Each prepared invoice gets
        its ``move``.

        Draft invoices take no number, so if a ledger row turns out to exist
        already (a concurrent run billed the period first), the caller's
        savepoint rolls both back and nothing is lost.
        """
        if invoices is None:
            invoices = self._prepare_invoices(contracts, date)
        if not invoices:
            return self.env["account.move"]
        self._preset_empty_analytic_distribution(invoices)
        moves = (
            self.env["account.move"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create([invoice["values"] for invoice in invoices])
        )
        for move, invoice in zip(moves, invoices, strict=True):
            invoice["move"] = move
        to_post = moves.browse(
            invoice["move"].id
            for invoice in invoices
            if (invoice["post"] if post is None else post)
        )
        to_post.action_post()
        contracts._resolve_invoicing_error()
        return moves

    @api.model
    def _preset_empty_analytic_distribution(self, invoices):
        """Without any analytic distribution model for the company, Odoo's
        per-line lookup can only find nothing: say so in the values instead of
        letting every invoice line search the models (one query a line)."""
        Model = self.env["account.analytic.distribution.model"].sudo()
        companies = {invoice["values"]["company_id"] for invoice in invoices}
        if Model.search_count([("company_id", "in", [*companies, False])], limit=1):
            return
        for invoice in invoices:
            for command in invoice["values"]["invoice_line_ids"]:
                values = command[2]
                if values.get("display_type", "product") == "product":
                    values.setdefault("analytic_distribution", False)

    # ------------------------------------------------------------------
    # Credits (pause, termination)
    # ------------------------------------------------------------------

    @api.model
    def _credit_billed_days(self, contract, start, end, reason, pause=None):
        """Credit the invoiced days of ``contract`` between ``start`` and ``end``
        (``end`` None: no end), prorated like the periods they belong to.

        Days already credited (an earlier pause) and days of the contract's
        other pauses (never billed, or credited then) are left out; ``pause``
        is the pause being credited, if any. Each credited range is priced as
        what its period's kept days cost before minus after it
        (recurrence.credit_pieces), so the credits and the kept part add up
        to the billed price.

        One credit note per original invoice, referencing it (EN 16931 BG-3),
        one line per credited range keeping its service period. Returns the
        credit notes.
        """
        digits = self.env["decimal.precision"].precision_get("Product Price")
        other_pauses = [
            (other.date_start, other.date_end and other.date_end - timedelta(days=1))
            for other in contract.pause_ids
            - (pause or self.env["recurring.contract.pause"])
        ]
        lines_by_move = defaultdict(list)
        for period in contract.period_ids.filtered(
            lambda p: p.state in ("invoiced", "credited")
        ):
            pieces = recurrence_tools.credit_pieces(
                contract.proration_method,
                period._factor(),
                recurrence_tools.subtract_ranges(
                    [(period.billed_start, period.billed_end)], other_pauses
                ),
                period._credited_ranges(),
                start,
                end,
                period.period_start,
                period.period_end,
                contract.rule_id.unit,
            )
            invoice_line = period.move_line_id
            for piece_start, piece_end, kept_before, kept_after in pieces:
                price_unit = amount_tools.credit_unit_price(
                    period.price_unit, kept_before, kept_after, digits
                )
                if not price_unit:
                    continue
                lines_by_move[invoice_line.move_id].append(
                    {
                        "display_type": "product",
                        "product_id": invoice_line.product_id.id,
                        "name": f"{invoice_line.name}\n{reason}",
                        "quantity": period.quantity,
                        "product_uom_id": invoice_line.product_uom_id.id,
                        "price_unit": float(price_unit),
                        "discount": invoice_line.discount,
                        "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                        "service_start_date": piece_start,
                        "service_end_date": piece_end,
                        # the credited row is linked with its credit line
                        "recurring_credited_period_ids": [Command.link(period.id)],
                    }
                )
        if not lines_by_move:
            return self.env["account.move"]
        values_list = []
        for move, entries in lines_by_move.items():
            values_list.append(
                {
                    "move_type": "out_refund",
                    "company_id": move.company_id.id,
                    "partner_id": move.partner_id.id,
                    "partner_shipping_id": move.partner_shipping_id.id,
                    "currency_id": move.currency_id.id,
                    "journal_id": move.journal_id.id,
                    "invoice_payment_term_id": move.invoice_payment_term_id.id,
                    "fiscal_position_id": move.fiscal_position_id.id,
                    "invoice_user_id": move.invoice_user_id.id,
                    "invoice_origin": contract.name,
                    "reversed_entry_id": move.id,
                    "ref": self.env._(
                        "Credit for %(invoice)s: %(reason)s",
                        invoice=move.name,
                        reason=reason,
                    ),
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_line_ids": [Command.create(values) for values in entries],
                }
            )
        credit_notes = self.env["account.move"].create(values_list)
        if contract.company_id.recurring_auto_post:
            credit_notes.action_post()
        return credit_notes
