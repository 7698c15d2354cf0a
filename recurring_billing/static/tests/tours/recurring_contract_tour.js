import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("recurring_contract_tour", {
    url: "/odoo/action-recurring_billing.recurring_contract_action",
    steps: () => [
        {
            content: "Create a contract from the kanban",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".ui-menu-item a:contains(Tour Customer)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=rule_id] input",
            run: "edit Tour Monthly",
        },
        {
            trigger: ".ui-menu-item a:contains(Tour Monthly)",
            run: "click",
        },
        {
            trigger: "div[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: "div[name=line_ids] .o_field_widget[name=product_id] input",
            run: "edit Tour Hosting",
        },
        {
            trigger: ".ui-menu-item a:contains(Tour Hosting)",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "Activate it",
            trigger: ".o_form_view button[name=action_activate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Active)",
        },
        {
            content: "Create its first invoice",
            trigger: ".o_form_view button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "The invoice opens, billed to the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains(Tour Customer)",
        },
        {
            trigger: ".o_form_view div[name=invoice_line_ids] td:contains(Tour Hosting)",
        },
    ],
});
