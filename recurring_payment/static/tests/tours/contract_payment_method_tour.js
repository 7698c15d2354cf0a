import { registry } from "@web/core/registry";

/**
 * The customer replaces the failing card of a contract on its portal page
 * with the demo provider's form; ``state`` is the outcome the demo provider
 * simulates.
 */
function enterNewCard(state) {
    return [
        {
            content: "The contract is paid with the failing card",
            trigger: "#contract_payment_method strong:contains(1111)",
        },
        {
            content: "Choose another method",
            trigger: "#contract_payment_form button[name=o_payment_expand_button]",
            run: "click",
        },
        {
            content: "The demo provider's form",
            trigger:
                "#contract_payment_form input[name=o_payment_radio][data-payment-method-code=demo]",
            run: "click",
        },
        {
            content: "Card details (test data)",
            trigger: "#contract_payment_form input[name=customer_input]:visible",
            run: "edit 4242 4242 4242 9999",
        },
        {
            content: `The provider will answer: ${state}`,
            trigger: "#contract_payment_form select#simulated_payment_state",
            run: `select ${state}`,
        },
        {
            content: "Save the new method for the contract",
            trigger: "#contract_payment_form button[name=o_payment_submit_button]:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's payment status page sends the customer back to the contract",
            trigger: "div[name=o_payment_status]",
            expectUnloadPage: true,
        },
    ];
}

registry.category("web_tour.tours").add("recurring_payment_contract_payment_method", {
    steps: () => [
        ...enterNewCard("done"),
        {
            content: "Back on the contract: the method is saved",
            trigger: "#contract_payment_method .alert-success",
        },
        {
            content: "The contract now carries the new method",
            trigger: "#contract_payment_method strong:contains(9999)",
        },
    ],
});

registry.category("web_tour.tours").add("recurring_payment_contract_payment_method_declined", {
    steps: () => [
        ...enterNewCard("error"),
        {
            content: "Back on the contract: the method was declined",
            trigger: "#contract_payment_method .alert-danger",
        },
        {
            content: "The contract keeps its method",
            trigger: "#contract_payment_method strong:contains(1111)",
        },
    ],
});
