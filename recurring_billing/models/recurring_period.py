# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from fractions import Fraction

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

# what an invoiced or credited row may never change: what was billed, for which
# days, on which invoice line (its state and credit line follow the invoices)
LOCKED_FIELDS = (
    "contract_line_id",
    "period_start",
    "period_end",
    "billed_start",
    "billed_end",
    "scheduled_date",
    "quantity",
    "price_unit",
    "price_unit_billed",
    "discount",
    "proration_numerator",
    "proration_denominator",
    "proration_factor",
    "proration_note",
    "price_subtotal",
    "move_line_id",
)
LOCKED_STATES = ("invoiced", "credited")


class RecurringPeriod(models.Model):
    """The period ledger: one row per billed period of a contract line.

    A partial unique index on (contract line, period start) over the rows that
    are not cancelled makes a second billing of the same period impossible,
    whatever runs at the same time. The state is derived from the invoice line:
    cancelling the invoice cancels the row and frees the period; deleting the
    invoice deletes the row.
    """

    _name = "recurring.period"
    _description = "Billed Period"
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    _check_company_auto = True

    contract_line_id = fields.Many2one(
        "recurring.contract.line", required=True, ondelete="restrict", index=True
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id", store=True, index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    product_id = fields.Many2one(related="contract_line_id.product_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    billed_start = fields.Date(
        required=True,
        readonly=True,
        help="First day billed in the period (the period start, unless the line "
        "starts later or was paused).",
    )
    billed_end = fields.Date(required=True, readonly=True)
    scheduled_date = fields.Date(readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    price_unit = fields.Float(
        string="Full price", digits="Product Price", readonly=True
    )
    price_unit_billed = fields.Float(
        string="Billed unit price",
        digits="Product Price",
        readonly=True,
        help="The full price times the proration factor, rounded once: the unit "
        "price of the invoice line.",
    )
    discount = fields.Float(string="Discount (%)", digits="Discount", readonly=True)
    # the exact factor; 0/0 on rows billed before it was kept (see _factor)
    proration_numerator = fields.Integer(readonly=True)
    proration_denominator = fields.Integer(readonly=True)
    proration_factor = fields.Float(digits=(16, 10), readonly=True, default=1.0)
    proration_note = fields.Char(readonly=True)
    price_subtotal = fields.Monetary(
        string="Amount",
        readonly=True,
        help="Untaxed amount billed for the period: the invoice line's amount.",
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice line",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True)
    credit_move_line_ids = fields.Many2many(
        "account.move.line",
        "recurring_period_credit_line_rel",
        "period_id",
        "move_line_id",
        string="Credit note lines",
        readonly=True,
        copy=False,
        help="Lines of the credit notes that took days of the period back (a "
        "pause, then a termination…), each with its service dates.",
    )
    state = fields.Selection(
        [
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("credited", "Credited"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )

    _period_unique = models.UniqueIndex(
        "(contract_line_id, period_start) WHERE state != 'cancelled'",
        "This period of the contract line is already billed.",
    )
    _billed_range = models.Constraint(
        "CHECK (period_start <= billed_start AND billed_start <= billed_end "
        "AND billed_end <= period_end)",
        "The billed days must lie inside the period.",
    )

    @api.depends("move_line_id.parent_state", "credit_move_line_ids.parent_state")
    def _compute_state(self):
        for period in self:
            if not period.move_line_id:
                period.state = "to_invoice"
            elif period.move_line_id.parent_state == "cancel":
                period.state = "cancelled"
            elif period._credit_lines():
                period.state = "credited"
            else:
                period.state = "invoiced"

    def init(self):
        result = super().init()
        self.env.cr.execute(
            SQL("DROP TRIGGER IF EXISTS recurring_period_locked ON recurring_period")
        )
        self._fill_from_earlier_versions()
        old_columns = SQL(", ").join(
            SQL("OLD.%s", SQL.identifier(name)) for name in LOCKED_FIELDS
        )
        new_columns = SQL(", ").join(
            SQL("NEW.%s", SQL.identifier(name)) for name in LOCKED_FIELDS
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION recurring_period_locked() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD.state NOT IN %(states)s THEN
                        RETURN COALESCE(NEW, OLD);
                    END IF;
                    IF TG_OP = 'DELETE' THEN
                        -- a row goes with its invoice line (ON DELETE CASCADE)
                        IF EXISTS (
                            SELECT 1 FROM account_move_line
                            WHERE id = OLD.move_line_id
                        ) THEN
                            RAISE EXCEPTION
                                'recurring_period %% is invoiced: it cannot be deleted',
                                OLD.id USING ERRCODE = 'integrity_constraint_violation';
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF (%(new)s) IS DISTINCT FROM (%(old)s) THEN
                        RAISE EXCEPTION
                            'recurring_period %% is invoiced: it is read-only',
                            OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER recurring_period_locked
                    BEFORE UPDATE OR DELETE ON recurring_period
                    FOR EACH ROW EXECUTE FUNCTION recurring_period_locked();
                """,
                states=LOCKED_STATES,
                new=new_columns,
                old=old_columns,
            )
        )
        return result

    def _fill_from_earlier_versions(self):
        """Rows billed before the ledger kept the invoice line's figures and
        several credit lines: copy them from the invoice lines (once; new rows
        get them at creation)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            UPDATE recurring_period period
               SET price_subtotal = line.price_subtotal,
                   price_unit_billed = line.price_unit,
                   discount = line.discount
              FROM account_move_line line
             WHERE line.id = period.move_line_id
               AND period.price_subtotal IS NULL
                """
            )
        )
        if column_exists(cr, "recurring_period", "credit_move_line_id"):
            cr.execute(
                SQL(
                    """
                INSERT INTO recurring_period_credit_line_rel (period_id, move_line_id)
                SELECT id, credit_move_line_id FROM recurring_period
                 WHERE credit_move_line_id IS NOT NULL
                ON CONFLICT DO NOTHING
                    """
                )
            )

    def write(self, vals):
        if set(vals) & set(LOCKED_FIELDS) and any(
            period.state in LOCKED_STATES for period in self
        ):
            raise UserError(
                self.env._(
                    "An invoiced or credited period cannot be changed: its "
                    "price, quantity, days and invoice line are those of the "
                    "invoice. Cancel or credit the invoice instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if any(period.move_line_id and period.state != "cancelled" for period in self):
            raise UserError(
                self.env._(
                    "A billed period cannot be deleted: cancel or delete its "
                    "invoice instead."
                )
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _credit_lines(self):
        """The credit note lines of the row that are not cancelled."""
        self.ensure_one()
        return self.credit_move_line_ids.filtered(
            lambda line: line.parent_state != "cancel"
        )

    def _credited_ranges(self):
        """The days already credited, as (first, last) ranges."""
        return [
            (line.service_start_date, line.service_end_date)
            for line in self._credit_lines()
        ]

    def _factor(self):
        """The exact proration factor of the row (a Fraction)."""
        self.ensure_one()
        if self.proration_denominator:
            return Fraction(self.proration_numerator, self.proration_denominator)
        return Fraction(self.proration_factor).limit_denominator(2000)
