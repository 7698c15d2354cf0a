# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecurringContractLine(models.Model):
    """A product billed every period of its contract, between its own dates."""

    _name = "recurring.contract.line"
    _description = "Contract Line"
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "recurring.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    state = fields.Selection(related="contract_id.state")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_uom_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        readonly=False,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
        domain=[("type_tax_use", "=", "sale")],
    )
    date_start = fields.Date(
        compute="_compute_date_start",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="First day this line is billed; defaults to the contract start.",
    )
    date_end = fields.Date(help="Last day this line is billed.")
    price_subtotal = fields.Monetary(
        string="Amount per period", compute="_compute_price_subtotal", store=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Order line", copy=False, index="btree_not_null"
    )
    period_ids = fields.One2many("recurring.period", "contract_line_id")
    invoiced_until = fields.Date(compute="_compute_invoiced_until", store=True)
    price_ids = fields.One2many(
        "recurring.contract.line.price", "line_id", string="Price history"
    )

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "The quantity of a contract line must be positive."
    )
    _dates_order = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "A contract line cannot end before it starts.",
    )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                product = line.product_id.with_context(
                    lang=line.contract_id.partner_id.lang
                )
                line.name = product.get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            line.uom_id = line.product_id.uom_id

    @api.depends("product_id", "quantity", "contract_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                continue
            pricelist = line.contract_id.pricelist_id
            if pricelist:
                line.price_unit = pricelist._get_product_price(
                    line.product_id,
                    line.quantity or 1.0,
                    uom=line.uom_id,
                    date=line.date_start or fields.Date.context_today(line),
                )
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends("product_id", "contract_id.fiscal_position_id")
    def _compute_tax_ids(self):
        for line in self:
            taxes = line.product_id.taxes_id._filter_taxes_by_company(
                line.company_id or self.env.company
            )
            line.tax_ids = line.contract_id.fiscal_position_id.map_tax(taxes)

    @api.depends("contract_id.date_start")
    def _compute_date_start(self):
        for line in self:
            if not line.date_start:
                line.date_start = line.contract_id.date_start

    @api.depends("quantity", "price_unit", "discount")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(
                line.quantity * line.price_unit * (1 - line.discount / 100.0)
            )

    @api.depends("period_ids.state", "period_ids.billed_end")
    def _compute_invoiced_until(self):
        for line in self:
            billed = line.period_ids.filtered(lambda p: p.state != "cancelled")
            line.invoiced_until = max(billed.mapped("billed_end"), default=False)

    @api.constrains("date_start", "contract_id")
    def _check_date_start(self):
        for line in self:
            if line.date_start < line.contract_id.date_start:
                raise ValidationError(
                    self.env._(
                        "Line %(line)s cannot start before its contract (%(date)s).",
                        line=line.product_id.display_name,
                        date=line.contract_id.date_start,
                    )
                )

    def _price_at(self, date):
        """Unit price in force on ``date`` (the start of a billed period): the
        latest revision effective on or before it, else the line's price."""
        self.ensure_one()
        revisions = self.price_ids.filtered(lambda p: p.date_from <= date)
        if revisions:
            return max(revisions, key=lambda p: (p.date_from, p.id)).price_unit
        return self.price_unit
