# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers import portal as payment_portal
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing
from odoo.addons.recurring_billing.controllers.portal import RecurringContractPortal


class RecurringPaymentPortal(RecurringContractPortal):
    """The customer chooses the saved payment method of a contract, or saves
    a new one with Odoo's payment form on the contract's page."""

    @http.route()
    def portal_my_contract(self, contract_id, access_token=None, **kwargs):
        response = super().portal_my_contract(
            contract_id, access_token=access_token, **kwargs
        )
        contract_sudo = getattr(response, "qcontext", {}).get("contract")
        if contract_sudo and not request.env.user._is_public():
            response.qcontext.update(self._contract_payment_form_values(contract_sudo))
            if kwargs.get("payment_method") == "saved":
                response.qcontext["contract_payment_error"] = (
                    self._contract_payment_error(contract_sudo)
                )
        return response

    def _contract_payment_error(self, contract_sudo):
        """Why the payment method the customer just entered for the contract
        was not saved (the provider declined it), or False. Odoo's status page
        sends the customer back to the contract whatever the outcome."""
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            .browse(request.session.get(PaymentPostProcessing.MONITORED_TX_ID_KEY))
            .exists()
        )
        if tx_sudo.recurring_contract_id != contract_sudo or tx_sudo.state not in (
            "cancel",
            "error",
        ):
            return False
        return tx_sudo.state_message or request.env._(
            "The payment method was declined."
        )

    def _contract_payment_form_values(self, contract_sudo):
        """Odoo's payment form in validation mode (``payment.form``, as on
        /my/payment_method): the customer's saved methods, to assign one to
        the contract, and the providers able to save a new one, whose token
        the contract then carries (``payment.transaction._post_process``)."""
        partner_sudo = request.env.user.partner_id
        company = contract_sudo.company_id
        availability_report = {}
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                partner_sudo.id,
                0.0,
                force_tokenization=True,
                is_validation=True,
                report=availability_report,
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids,
                partner_sudo.id,
                force_tokenization=True,
                report=availability_report,
            )
        )
        route = f"/my/contracts/{contract_sudo.id}/payment_method"
        return {
            "mode": "validation",
            "allow_token_selection": True,
            "allow_token_deletion": False,
            "default_token_id": contract_sudo.payment_token_id.id,
            "submit_button_label": request.env._("Use this payment method"),
            "reference_prefix": payment_utils.singularize_reference_prefix(prefix="V"),
            "partner_id": partner_sudo.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": contract_sudo._portal_payment_tokens(),
            "availability_report": availability_report,
            "transaction_route": f"{route}/transaction",
            "assign_token_route": f"{route}/assign",
            "landing_route": self._contract_payment_landing_route(contract_sudo),
            "access_token": contract_sudo._portal_ensure_token(),
        }

    @staticmethod
    def _contract_payment_landing_route(contract_sudo):
        return contract_sudo.get_portal_url(query_string="&payment_method=saved")

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


class RecurringPaymentFormPortal(payment_portal.PaymentPortal):
    """The routes of the payment form of a contract's page."""

    def _contract_for_payment(self, contract_id, access_token):
        try:
            return self._document_check_access(
                "recurring.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise ValidationError(
                request.env._("You cannot change the payment method of this contract.")
            ) from error

    @http.route(
        "/my/contracts/<int:contract_id>/payment_method/assign",
        type="jsonrpc",
        auth="user",
    )
    def portal_contract_assign_token(self, contract_id, token_id, access_token=None):
        """One of the customer's saved methods becomes the contract's."""
        contract_sudo = self._contract_for_payment(contract_id, access_token)
        token = contract_sudo._portal_payment_tokens().filtered(
            lambda t: t.id == self._cast_as_int(token_id)
        )
        if not token:
            raise ValidationError(
                request.env._("This payment method cannot pay this contract.")
            )
        if token != contract_sudo.payment_token_id:
            contract_sudo.payment_token_id = token

    @http.route(
        "/my/contracts/<int:contract_id>/payment_method/transaction",
        type="jsonrpc",
        auth="user",
    )
    def portal_contract_payment_transaction(
        self, contract_id, access_token=None, **kwargs
    ):
        """A validation transaction saving a new payment method for the
        contract; once done, the contract carries its token."""
        contract_sudo = self._contract_for_payment(contract_id, access_token)
        self._validate_transaction_kwargs(kwargs)
        kwargs.update(
            {
                "partner_id": request.env.user.partner_id.id,
                "currency_id": None,
                "is_validation": True,
                # back to the contract whatever the browser sent
                "landing_route": RecurringPaymentPortal._contract_payment_landing_route(
                    contract_sudo
                ),
            }
        )
        tx_sudo = self._create_transaction(
            custom_create_values={"recurring_contract_id": contract_sudo.id},
            **kwargs,
        )
        return tx_sudo._get_processing_values()
