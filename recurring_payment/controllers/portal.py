# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.recurring_billing.controllers.portal import RecurringContractPortal


class RecurringPaymentPortal(RecurringContractPortal):
    """The customer chooses the saved payment method of a contract."""

    @http.route(
        ["/my/contracts/<int:contract_id>/payment_method"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_contract_payment_method(
        self, contract_id, token_id=None, access_token=None, **kwargs
    ):
        try:
            contract_sudo = self._document_check_access(
                "recurring.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        token = contract_sudo._portal_payment_tokens().filtered(
            lambda t: str(t.id) == str(token_id)
        )
        if not token:
            return request.redirect(
                contract_sudo.get_portal_url(query_string="&payment_method=invalid")
            )
        if token != contract_sudo.payment_token_id:
            contract_sudo.payment_token_id = token
        return request.redirect(
            contract_sudo.get_portal_url(query_string="&payment_method=saved")
        )
