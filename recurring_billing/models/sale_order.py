# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class SaleOrder(models.Model):
    _inherit = "sale.order"

    recurring_contract_id = fields.Many2one(
        "recurring.contract",
        string="Add to contract",
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('state', 'in', ('draft', 'active', 'paused')), "
        "('company_id', '=', company_id)]",
        copy=False,
        help="Add the subscription lines of this order to a running contract of "
        "the customer (upsell), from the order date, instead of creating a new "
        "contract.",
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    has_recurring_lines = fields.Boolean(compute="_compute_has_recurring_lines")
    contract_ids = fields.Many2many(
        "recurring.contract",
        "recurring_contract_sale_order_rel",
        "order_id",
        "contract_id",
        string="Contracts",
        copy=False,
        readonly=True,
    )
    contract_count = fields.Integer(compute="_compute_contract_count")

    @api.depends("order_line.product_id.recurring_ok")
    def _compute_has_recurring_lines(self):
        for order in self:
            order.has_recurring_lines = any(
                order.order_line.product_id.mapped("recurring_ok")
            )

    @api.depends("contract_ids")
    def _compute_contract_count(self):
        for order in self:
            order.contract_count = len(order.contract_ids)

    def _action_confirm(self):
        result = super()._action_confirm()
        self.filtered("has_recurring_lines")._create_or_extend_contracts()
        return result

    def action_view_contracts(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.recurring_contract_action"
        )
        action["domain"] = [("id", "in", self.contract_ids.ids)]
        if len(self.contract_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.contract_ids.id
        return action

    # ------------------------------------------------------------------
    # Contracts from orders
    # ------------------------------------------------------------------

    def _recurring_lines(self):
        return self.order_line.filtered(
            lambda line: line.product_id.recurring_ok and not line.display_type
        )

    def _create_or_extend_contracts(self):
        """Subscription lines go to the chosen contract (upsell, from the order
        date) or to new contracts, one per recurrence, activated at once."""
        Contract = self.env["recurring.contract"].sudo()
        for order in self:
            start = fields.Date.context_today(order, order.date_order)
            lines = order._recurring_lines()
            contract = order.recurring_contract_id.sudo()
            if contract:
                if contract.state not in ("draft", "active", "paused"):
                    raise UserError(
                        self.env._(
                            "Contract %(contract)s is not running: its lines "
                            "cannot be extended by order %(order)s.",
                            contract=contract.display_name,
                            order=order.name,
                        )
                    )
                contract.write(
                    {
                        "line_ids": [
                            Command.create(line._prepare_contract_line_values(start))
                            for line in lines
                        ],
                        "sale_order_ids": [Command.link(order.id)],
                    }
                )
                contract.message_post(
                    body=self.env._(
                        "Lines added by order %(order)s from %(date)s.",
                        order=order._get_html_link(),
                        date=start,
                    )
                )
                continue
            by_rule = defaultdict(lambda: self.env["sale.order.line"])
            for line in lines:
                rule = (
                    line.product_id.recurring_rule_id
                    or order.company_id.recurring_rule_id
                )
                if not rule:
                    raise UserError(
                        self.env._(
                            "Product %(product)s is a subscription but has no "
                            "recurrence, and the company has no default one.",
                            product=line.product_id.display_name,
                        )
                    )
                by_rule[rule] |= line
            contracts = Contract.create(
                [
                    order._prepare_contract_values(rule, rule_lines, start)
                    for rule, rule_lines in by_rule.items()
                ]
            )
            contracts.action_activate()
            for contract in contracts:
                contract.message_post_with_source(
                    "mail.message_origin_link",
                    render_values={"self": contract, "origin": order},
                    subtype_xmlid="mail.mt_note",
                )

    def _prepare_contract_values(self, rule, lines, start):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "company_id": self.company_id.id,
            "pricelist_id": self.pricelist_id.id,
            "currency_id": self.currency_id.id,
            "payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "user_id": self.user_id.id,
            "date_start": start,
            "rule_id": rule.id,
            "description": self.client_order_ref or False,
            "sale_order_ids": [Command.link(self.id)],
            "line_ids": [
                Command.create(line._prepare_contract_line_values(start))
                for line in lines
            ],
        }
