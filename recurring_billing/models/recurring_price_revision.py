# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import revision as revision_tools
from ..tools.exceptions import RevisionError


class RecurringPriceRevision(models.AbstractModel):
    """Revises the prices of contracts at their anniversaries.

    A contract is revised by a percentage or by an index (S1/S0), the ratio
    clamped by its cap and floor; from a chained base (each revision starts
    from the previous one) or a fixed one (always from the original prices
    and base value). The new prices take effect from the first period
    starting on or after the anniversary, as dated price entries of the
    lines; the contract's chatter gives the old and new prices.

    The arithmetic is in ``tools/revision.py``; the contract keeps thin
    wrappers; extensions override the ``_hook_*`` methods.
    """

    _name = "recurring.price.revision"
    _description = "Price Revision Service"

    # -------------------------------------------------------------------------
    # ENTRY POINTS
    # -------------------------------------------------------------------------

    @api.model
    def _get_contracts_to_revise_domain(self):
        return [
            ("state", "in", ("active", "paused")),
            ("revision_method", "!=", "none"),
        ]

    @api.model
    def _cron_revise_prices(self):
        """Daily: revise the contracts whose anniversary has come. A contract
        that cannot be revised is reported once (see
        ``recurring.contract._record_invoicing_error``) and retried the next
        day; its report is closed when the revision succeeds."""
        today = fields.Date.context_today(self)
        contracts = self.env["recurring.contract"].search(
            self._get_contracts_to_revise_domain()
        )
        for contract in contracts:
            due = self._due_revision_date(contract)
            if due > today:
                continue
            try:
                with self.env.cr.savepoint():
                    self._revise(contract, due)
            except UserError as error:
                contract._record_invoicing_error(error, source="revision")
            else:
                contract._resolve_invoicing_error(source="revision")

    @api.model
    def _due_revision_date(self, contract):
        """The contract's next anniversary after its last revision."""
        return revision_tools.next_anniversary(
            contract.date_start, contract.last_revision_date or contract.date_start
        )

    @api.model
    def _revise(self, contract, revision_date):
        """Revise every line's price at ``revision_date``, effective from the
        first period starting on or after it; logged in the chatter.

        :returns: the effective date
        """
        contract.ensure_one()
        ratio, new_value = self._revision_ratio(contract, revision_date)
        recurrence = contract._recurrence()
        effective = revision_tools.effective_date(
            contract._anchor(recurrence),
            revision_date,
            recurrence.unit,
            recurrence.interval,
            recurrence.sticks_to_month_end,
        )
        digits = self.env["decimal.precision"].precision_get("Product Price")
        rows = []
        price_values = []
        for line in contract.line_ids:
            if line.date_end and line.date_end < effective:
                continue
            base = (
                line.price_unit
                if contract.revision_fixed_base
                else line._price_at(effective)
            )
            new_price = revision_tools.revised_price(base, ratio, digits)
            line.price_ids.filtered(lambda p: p.date_from == effective).unlink()
            price_values.append(
                self._hook_prepare_price_values(
                    line, effective, new_price, revision_date
                )
            )
            rows.append(
                self.env._(
                    "%(product)s: %(old)s → %(new)s",
                    product=line.product_id.display_name,
                    old=line._price_at(effective - timedelta(days=1)),
                    new=float(new_price),
                )
            )
        self.env["recurring.contract.line.price"].create(price_values)
        values = {"last_revision_date": revision_date}
        if new_value is not None and not contract.revision_fixed_base:
            values["revision_base_value"] = new_value
        contract.write(values)
        self._hook_notify_revision(contract, revision_date, ratio, effective, rows)
        return effective

    # -------------------------------------------------------------------------
    # HOOKS
    # -------------------------------------------------------------------------

    @api.model
    def _hook_prepare_price_values(self, line, effective, new_price, revision_date):
        """The dated price entry of one revised line.

        :param line: the ``recurring.contract.line`` revised
        :param effective: the first day of the new price
        :param new_price: the new unit price (a ``Decimal``, already rounded)
        :param revision_date: the anniversary the revision belongs to
        :returns: ``recurring.contract.line.price`` values for ``create()``
        """
        return {
            "line_id": line.id,
            "date_from": effective,
            "price_unit": float(new_price),
            "note": self.env._("Revision of %(date)s", date=revision_date),
        }

    @api.model
    def _hook_notify_revision(self, contract, revision_date, ratio, effective, rows):
        """Tell the contract's followers about the revision.

        :param contract: the ``recurring.contract`` revised
        :param revision_date: the anniversary
        :param ratio: the ratio applied (a ``Decimal``, after cap and floor)
        :param effective: the first day of the new prices
        :param rows: one sentence per line, "product: old → new"
        """
        contract.message_post(
            body=self.env._(
                "Prices revised on %(date)s by %(ratio)s, effective %(effective)s: "
                "%(lines)s",
                date=revision_date,
                ratio=f"{ratio:.4f}",
                effective=effective,
                lines="; ".join(rows),
            )
        )

    # -------------------------------------------------------------------------
    # RATIO
    # -------------------------------------------------------------------------

    @api.model
    def _revision_ratio(self, contract, revision_date):
        """``(ratio, new index value or None)`` of a revision at that date.

        :raises UserError: no published index value, or settings that give
            no ratio
        """
        contract.ensure_one()
        cap = contract.revision_cap if contract.revision_has_cap else None
        floor = contract.revision_floor if contract.revision_has_floor else None
        new_value = None
        try:
            if contract.revision_method == "index":
                published = contract.revision_index_id._value_on(revision_date)
                if not published:
                    raise UserError(
                        self.env._(
                            "No value of index %(index)s is published on or before "
                            "%(date)s: contract %(contract)s cannot be revised.",
                            index=contract.revision_index_id.display_name,
                            date=revision_date,
                            contract=contract.display_name,
                        )
                    )
                new_value = published.value
            ratio = revision_tools.revision_ratio(
                contract.revision_method,
                percentage=contract.revision_percentage,
                base_value=contract.revision_base_value,
                new_value=new_value,
                cap=cap,
                floor=floor,
            )
        except RevisionError as error:
            raise UserError(
                self.env._(
                    "Contract %(contract)s cannot be revised: %(error)s",
                    contract=contract.display_name,
                    error=str(error),
                )
            ) from error
        return ratio, new_value
