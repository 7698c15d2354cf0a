# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain

from ..tools import grouping

# invoice fields that make one invoice: a difference splits (or blocks)
CONSOLIDATION_KEYS = [
    "company_id",
    "partner_id",
    "partner_shipping_id",
    "currency_id",
    "fiscal_position_id",
    "invoice_payment_term_id",
    "journal_id",
    "buyer_reference",
    "purchase_order_reference",
]


class RecurringInvoicing(models.AbstractModel):
    """One invoice per customer and billing cycle, unless a key differs."""

    _inherit = "recurring.invoicing"

    # ------------------------------------------------------------------
    # Grouping
    # ------------------------------------------------------------------

    @api.model
    def _consolidation_key_names(self):
        return [*CONSOLIDATION_KEYS, *self._get_invoice_split_keys()]

    @api.model
    def _prepare_invoice_header(self, contract):
        header = super()._prepare_invoice_header(contract)
        header["buyer_reference"] = contract.buyer_reference or ""
        header["purchase_order_reference"] = contract.purchase_order_ref or ""
        return header

    @api.model
    def _prepare_contract_terms(self, contract):
        """The contract's consolidation policy (``terms["policy"]``, empty when
        the contract or its customer opted out) decides the payment term left
        empty on the contract, and whether invoices are posted and sent."""
        terms = super()._prepare_contract_terms(contract)
        policy = contract._consolidation_policy()
        terms["policy"] = policy
        if policy:
            header = terms["header"]
            if not header.get("invoice_payment_term_id") and policy.payment_term_id:
                header["invoice_payment_term_id"] = policy.payment_term_id.id
            terms["post"] = bool(policy.auto_post)
            terms["send"] = bool(policy.auto_post and policy.auto_send)
        return terms

    @api.model
    def _get_invoice_grouping_key(self, charge):
        terms = charge["terms"]
        if not terms["policy"]:
            return ("contract", charge["contract"].id)
        return (
            "policy",
            terms["policy"].id,
            *grouping.key_of(terms["header"], self._consolidation_key_names()),
        )

    @api.model
    def _billing_units(self, contracts):
        """A billing account (company, customer) fails or succeeds as a whole,
        so a blocked customer is never billed contract by contract."""
        units = defaultdict(lambda: self.env["recurring.contract"])
        for contract in contracts:
            if contract._consolidation_policy():
                units[(contract.company_id.id, contract.commercial_partner_id.id)] |= (
                    contract
                )
            else:
                units[("contract", contract.id)] |= contract
        return list(units.values())

    @api.model
    def _group_charges(self, charges):
        groups = super()._group_charges(charges)
        self._check_blocking_conflicts(groups)
        return groups

    @api.model
    def _check_blocking_conflicts(self, groups):
        """A key whose policy rule is "block" and differs between a customer's
        invoices stops that customer's billing with the contracts listed."""
        by_account = defaultdict(list)
        for group in groups:
            contract, policy = group[0]["contract"], group[0]["terms"]["policy"]
            if policy:
                by_account[
                    (contract.company_id, contract.commercial_partner_id)
                ].append((policy, group))
        for (_company, partner), entries in by_account.items():
            if len(entries) < 2:
                continue
            headers = [group[0]["terms"]["header"] for _policy, group in entries]
            block_keys = entries[0][0]._block_keys()
            differing = grouping.conflicts(headers, block_keys) if block_keys else []
            if differing:
                contracts = {
                    charge["contract"].name
                    for _policy, group in entries
                    for charge in group
                }
                raise UserError(
                    self.env._(
                        "Billing of %(customer)s is blocked: its contracts "
                        "%(contracts)s differ on %(keys)s, which the consolidation "
                        "policy does not allow on separate invoices.",
                        customer=partner.display_name,
                        contracts=", ".join(sorted(contracts)),
                        keys=", ".join(self._key_labels(differing)),
                    )
                )

    @api.model
    def _key_labels(self, key_names):
        fields_ = self.env["account.move"]._fields
        return [fields_[name].get_description(self.env)["string"] for name in key_names]

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------

    @api.model
    def _prepare_invoice_values(self, charges, date):
        values = super()._prepare_invoice_values(charges, date)
        contracts = self._charges_contracts(charges)
        if len(contracts) > 1:
            values["invoice_origin"] = grouping.join_text(contracts.mapped("name"))
        return values

    @api.model
    def _charges_contracts(self, charges):
        contracts = self.env["recurring.contract"]
        for charge in charges:
            contracts |= charge["contract"]
        return contracts

    @api.model
    def _prepare_invoice_line_commands(self, group):
        """One section per contract of a consolidated invoice, then its lines."""
        if not group[0]["terms"]["policy"]:
            return super()._prepare_invoice_line_commands(group)
        commands, sequence, current = [], 0, None
        for charge in group:
            if charge["contract"] != current:
                current = charge["contract"]
                sequence += 1
                commands.append(
                    Command.create(
                        {
                            "display_type": "line_section",
                            "name": " – ".join(
                                filter(None, [current.name, current.description])
                            ),
                            "sequence": sequence,
                        }
                    )
                )
            sequence += 1
            commands.append(
                Command.create(
                    dict(self._prepare_invoice_line_values(charge), sequence=sequence)
                )
            )
        return commands

    @api.model
    def _complete_invoices(self, invoices, contracts, date, terms):
        """Adds the one-off charges of sale orders, then, per invoice, its
        untaxed estimate, why it was split from the customer's other invoices,
        and whether it is carried over (below the policy's minimum amount)."""
        invoices = super()._complete_invoices(invoices, contracts, date, terms)
        invoices = self._add_sale_order_charges(invoices, contracts, date, terms)
        names = self._consolidation_key_names()
        by_account = defaultdict(list)
        for invoice in invoices:
            values = invoice["values"]
            invoice["untaxed"] = self._estimate_untaxed(values)
            by_account[(values["company_id"], values["partner_id"])].append(invoice)
            policy = invoice["terms"]["policy"]
            invoice["carried_over"] = bool(
                policy
                and policy.minimum_amount
                and invoice["untaxed"] < policy.minimum_amount
            )
        for account_invoices in by_account.values():
            keys = [grouping.key_of(inv["values"], names) for inv in account_invoices]
            differing = grouping.differing_keys(keys, names)
            for invoice in account_invoices:
                invoice["split_reasons"] = (
                    self._opt_out_reasons(invoice) if len(account_invoices) > 1 else []
                ) or self._key_labels(differing)
        return invoices

    @api.model
    def _create_invoices(self, contracts, date, post=None, invoices=None):
        """Invoices below their policy's minimum amount are carried over: not
        created, their periods billed with the next cycle."""
        if invoices is None:
            invoices = self._prepare_invoices(contracts, date)
        return super()._create_invoices(
            contracts,
            date,
            post,
            [invoice for invoice in invoices if not invoice.get("carried_over")],
        )

    @api.model
    def _opt_out_reasons(self, invoice):
        """Why the contracts of an invoice are not consolidated, if they are
        not: the contract's or the customer's opt-out, or no policy at all."""
        if invoice["terms"]["policy"]:
            return []
        return [
            contract._consolidation_opt_out_reason()
            for contract in self._charges_contracts(invoice["charges"])
        ]

    @api.model
    def _add_sale_order_charges(self, invoices, contracts, date, terms):
        """One-off charges: the invoiceable lines of the customer's confirmed
        sale orders join the cycle invoice with the same keys (in a section of
        their own), or get an invoice of their own in the same run, posted
        and sent as the policy says."""
        names = self._consolidation_key_names()
        accounts = {}
        for contract in contracts:
            policy = terms[contract.id]["policy"]
            if policy.include_sale_orders:
                accounts.setdefault(
                    (contract.company_id, contract.commercial_partner_id), policy
                )
        # billing staff need not be salespeople: the orders are read as such
        SaleOrder = self.env["sale.order"].sudo()
        for (company, partner), policy in accounts.items():
            orders = SaleOrder.search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "child_of", partner.id),
                    ("state", "=", "sale"),
                    ("invoice_status", "=", "to invoice"),
                ],
                order="date_order, id",
            )
            for order in orders:
                lines = order._get_invoiceable_lines()
                if not lines:
                    continue
                header = self._prepare_sale_order_header(order)
                key = grouping.key_of(header, names)
                target = next(
                    (
                        inv
                        for inv in invoices
                        if inv["terms"]["policy"]
                        and grouping.key_of(inv["values"], names) == key
                    ),
                    None,
                )
                if target is None:
                    order_terms = {
                        "header": header,
                        "policy": policy,
                        "post": bool(policy.auto_post),
                        "send": bool(policy.auto_post and policy.auto_send),
                    }
                    target = {
                        "values": dict(header, invoice_date=date, invoice_line_ids=[]),
                        "charges": [],
                        "terms": order_terms,
                        "post": order_terms["post"],
                        "send": order_terms["send"],
                    }
                    invoices.append(target)
                else:
                    target["values"]["invoice_origin"] = grouping.join_text(
                        [target["values"].get("invoice_origin"), order.name]
                    )
                target.setdefault("orders", []).append(order)
                commands = target["values"]["invoice_line_ids"]
                sequence = 1 + max(
                    (cmd[2].get("sequence", 0) for cmd in commands), default=0
                )
                commands.append(
                    Command.create(
                        {
                            "display_type": "line_section",
                            "name": order.name,
                            "sequence": sequence,
                        }
                    )
                )
                for offset, line in enumerate(lines, start=1):
                    commands.append(
                        Command.create(
                            line._prepare_invoice_line(sequence=sequence + offset)
                        )
                    )
        return invoices

    @api.model
    def _prepare_sale_order_header(self, order):
        """The invoice header of a sale order, with every consolidation key."""
        header = order._prepare_invoice()
        header.pop("transaction_ids", None)
        if not header.get("journal_id"):
            header["journal_id"] = order.company_id._get_sale_journal(
                order.currency_id
            ).id
        header["buyer_reference"] = ""
        header["purchase_order_reference"] = order.client_order_ref or ""
        # the keys extensions never merge (a payment method...) are not the
        # order's: empty, so the order joins only an invoice without them
        for name in self._get_invoice_split_keys():
            header.setdefault(name, False)
        return header

    @api.model
    def _estimate_untaxed(self, values):
        total = 0.0
        for command in values["invoice_line_ids"]:
            line = command[2]
            if line.get("display_type", "product") != "product":
                continue
            total += (
                line["quantity"]
                * line["price_unit"]
                * (1 - line.get("discount", 0) / 100)
            )
        currency = self.env["res.currency"].browse(values["currency_id"])
        return currency.round(total)

    # ------------------------------------------------------------------
    # Cron: bill runs have their own (bill.run._cron_daily)
    # ------------------------------------------------------------------

    @api.model
    def _get_cron_contracts_domain(self, date):
        """Bill runs bill every due contract, consolidated or not, with their
        own daily cron: the per-contract cron has nothing left to bill."""
        return Domain.FALSE
