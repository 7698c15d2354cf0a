# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class RecurringContractPortal(CustomerPortal):
    """/my/contracts: a customer's contracts with their next invoice."""

    def _prepare_contracts_domain(self, partner):
        return [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("state", "in", ("active", "paused", "terminated", "closed")),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "contract_count" in counters:
            Contract = request.env["recurring.contract"]
            values["contract_count"] = (
                Contract.search_count(
                    self._prepare_contracts_domain(request.env.user.partner_id)
                )
                if Contract.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_contracts(self, page=1, **kwargs):
        Contract = request.env["recurring.contract"]
        domain = self._prepare_contracts_domain(request.env.user.partner_id)
        values = self._prepare_portal_layout_values()
        pager = portal_pager(
            url="/my/contracts",
            total=Contract.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        contracts = Contract.search(
            domain,
            order="state, date_start desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_contracts_history"] = contracts.ids[:100]
        values.update(
            {
                "contracts": contracts,
                "page_name": "contract",
                "pager": pager,
                "default_url": "/my/contracts",
            }
        )
        return request.render("recurring_billing.portal_my_contracts", values)

    @http.route(
        ["/my/contracts/<int:contract_id>"], type="http", auth="public", website=True
    )
    def portal_my_contract(self, contract_id, access_token=None, **kwargs):
        try:
            contract_sudo = self._document_check_access(
                "recurring.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            contract_sudo,
            access_token,
            {"contract": contract_sudo, "page_name": "contract"},
            "my_contracts_history",
            False,
            **kwargs,
        )
        return request.render("recurring_billing.portal_my_contract", values)
