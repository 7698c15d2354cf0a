import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dunning_level_tour", {
    url: "/odoo/action-dunning_levels.dunning_policy_action",
    steps: () => [
        {
            content: "Open the policy",
            trigger: ".o_data_row td:contains(Tour levels policy)",
            run: "click",
        },
        {
            content: "Its levels are listed with their channels",
            trigger: ".o_field_widget[name=level_ids] td:contains(Email)",
        },
        {
            content: "Open the first level",
            trigger: ".o_field_widget[name=level_ids] .o_data_row td:contains(Tour reminder)",
            run: "click",
        },
        {
            content: "Rename it",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Tour reminder by letter",
        },
        {
            content: "Send it by letter too",
            trigger: ".modal .o_field_widget[name=channel_letter] input",
            run: "click",
        },
        {
            content: "Open the letter tab",
            trigger: ".modal .nav-link:contains(Letter)",
            run: "click",
        },
        {
            content: "Write the letter text",
            trigger: ".modal .o_field_widget[name=letter_text] .odoo-editor-editable",
            run: "editor Please pay within eight days.",
        },
        {
            content: "Save the level",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The list shows the new name",
            trigger: ".o_field_widget[name=level_ids] td:contains(Tour reminder by letter)",
        },
        {
            content: "Save the policy",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
