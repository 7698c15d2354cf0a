import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bill_run_tour", {
    url: "/odoo/action-consolidated_invoice.bill_run_action",
    steps: () => [
        {
            content: "Create a bill run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Preview it",
            trigger: ".o_form_view button[name=action_preview]",
            run: "click",
        },
        {
            content: "The customer appears with its invoice to come",
            trigger: ".o_field_widget[name=customer_ids] td:contains(Tour Billing Customer)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Previewed)",
        },
        {
            content: "Run it",
            trigger: ".o_form_view button[name=action_run]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The run is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            content: "Its invoices are one click away",
            trigger: ".o_form_view .oe_stat_button:contains(Invoices)",
        },
    ],
});
