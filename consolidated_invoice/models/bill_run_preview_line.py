# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Command


class BillRunPreviewLine(models.Model):
    """One invoice line a bill run would create for a customer, as its
    preview prepared it (the run's own invoice values, nothing created)."""

    _name = "bill.run.preview.line"
    _description = "Bill Run Preview Line"
    _order = "customer_id, invoice_index, sequence, id"

    customer_id = fields.Many2one(
        "bill.run.customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="customer_id.company_id", store=True)
    currency_id = fields.Many2one(related="customer_id.currency_id")
    invoice_index = fields.Integer(
        string="Invoice", help="Which of the customer's invoices the line is on."
    )
    sequence = fields.Integer()
    carried_over = fields.Boolean(
        help="The invoice is below the minimum amount: carried over to the next "
        "cycle, not created."
    )
    contract_id = fields.Many2one("recurring.contract", string="Contract")
    origin = fields.Char(help="The contract or sale order the line comes from.")
    product_id = fields.Many2one("product.product", string="Product")
    name = fields.Text(string="Label")
    period_start = fields.Date()
    period_end = fields.Date()
    quantity = fields.Float(digits="Product Unit")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    discount = fields.Float(string="Discount (%)", digits="Discount")
    price_subtotal = fields.Monetary(string="Subtotal")
    price_total = fields.Monetary(string="Total", help="The subtotal with its taxes.")

    @api.model
    def _values_from_invoices(self, invoices, partner):
        """Preview line values of prepared invoices (``_prepare_invoices``):
        every product line, its subtotal computed as the invoice will."""
        values = []
        Tax = self.env["account.tax"]
        for index, invoice in enumerate(invoices, start=1):
            header = invoice["values"]
            currency = self.env["res.currency"].browse(header["currency_id"])
            for command in header["invoice_line_ids"]:
                line = command[2]
                if line.get("display_type", "product") != "product":
                    continue
                contract = self._contract_of(line)
                product = self.env["product.product"].browse(line.get("product_id"))
                taxes = Tax.browse(_command_ids(line.get("tax_ids", [])))
                price = line["price_unit"] * (1 - (line.get("discount") or 0) / 100)
                amounts = taxes.compute_all(
                    price, currency, line["quantity"], product, partner
                )
                values.append(
                    {
                        "invoice_index": index,
                        "sequence": line.get("sequence", 0),
                        "carried_over": bool(invoice.get("carried_over")),
                        "contract_id": contract.id if contract else False,
                        "origin": contract.name
                        if contract
                        else self._order_names(line),
                        "product_id": product.id,
                        "name": line.get("name"),
                        "period_start": line.get("service_start_date"),
                        "period_end": line.get("service_end_date"),
                        "quantity": line["quantity"],
                        "price_unit": line["price_unit"],
                        "discount": line.get("discount") or 0.0,
                        "price_subtotal": currency.round(amounts["total_excluded"]),
                        "price_total": currency.round(amounts["total_included"]),
                    }
                )
        return values

    @api.model
    def _contract_of(self, line):
        """The contract a prepared invoice line bills, read from the ledger
        row it carries (False for a one-off charge)."""
        for command in line.get("recurring_period_ids", []):
            if command[0] == Command.CREATE:
                return (
                    self.env["recurring.contract.line"]
                    .browse(command[2]["contract_line_id"])
                    .contract_id
                )
        return False

    @api.model
    def _order_names(self, line):
        """A one-off charge's origin: the sale orders of the lines it invoices
        (read as the run reads them, billing staff need not be salespeople)."""
        order_lines = (
            self.env["sale.order.line"]
            .sudo()
            .browse(_command_ids(line.get("sale_line_ids", [])))
        )
        return ", ".join(order_lines.order_id.mapped("name"))


def _command_ids(commands):
    """The ids a list of x2many commands sets or links."""
    ids = []
    for command in commands:
        if command[0] == 6:
            ids = list(command[2])
        elif command[0] == 4:
            ids.append(command[1])
    return ids
