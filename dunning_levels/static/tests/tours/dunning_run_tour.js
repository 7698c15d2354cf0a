import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dunning_run_tour", {
    url: "/odoo/action-dunning_levels.dunning_customer_action",
    steps: () => [
        {
            content: "The kanban of customers in dunning is open",
            trigger: ".o_kanban_view",
        },
        {
            content: "Open the Dunning menu",
            trigger: ".o_menu_sections button:contains(Dunning)",
            run: "click",
        },
        {
            content: "Go to the dunning runs",
            trigger: ".dropdown-item:contains(Dunning Runs)",
            run: "click",
        },
        {
            content: "Create a dunning run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Preview it",
            trigger: ".o_form_view button[name=action_preview]",
            run: "click",
        },
        {
            content: "The overdue customer would get a reminder",
            trigger: ".o_field_widget[name=customer_ids] td:contains(Tour Dunning Customer)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Previewed)",
        },
        {
            content: "Run it",
            trigger: ".o_form_view button[name=action_run]:contains(Run)",
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
            content: "Back to the kanban",
            trigger: ".o_form_view button[name=action_open_kanban]",
            run: "click",
        },
        {
            content: "The customer now has its card at its level",
            trigger: ".o_kanban_group:contains(Reminder) .o_kanban_record:contains(Tour Dunning Customer)",
        },
    ],
});
