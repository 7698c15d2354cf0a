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
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Previewed)",
        },
        {
            content: "The header shows the total the run would invoice",
            trigger: ".o_field_widget[name=preview_amount]:contains(50.00)",
        },
        {
            content: "Open the customer to see what it would be invoiced",
            trigger: ".o_field_widget[name=customer_ids] td:contains(Tour Billing Customer)",
            run: "click",
        },
        {
            content: "Its invoice lines: product, period and amount",
            trigger:
                ".modal .o_field_widget[name=preview_line_ids] tr.o_data_row:has(td:contains(Tour service)):has(td:contains(25.00))",
        },
        {
            trigger: ".modal .o_field_widget[name=preview_line_ids] td[name=period_start]:not(:empty)",
        },
        {
            content: "Close the customer",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "No retry button before the run",
            trigger: ".o_form_view:not(:has(button[name=action_resume]))",
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
            content: "The stat buttons say what they count",
            trigger: ".o_form_view .oe_stat_button:contains(Customers):contains(1)",
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains(Billed):contains(1)",
        },
        {
            content: "The chatter sums the run up",
            trigger: ".o-mail-Message:contains(Bill run over: 1 invoices)",
        },
        {
            content: "Its invoices are one click away",
            trigger: ".o_form_view .oe_stat_button:contains(Invoices)",
        },
        {
            content: "The customers, filterable by state",
            trigger: ".o_form_view .oe_stat_button:contains(Billed)",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains(Billed)",
        },
        {
            trigger: ".o_list_view td:contains(Tour Billing Customer)",
        },
    ],
});
