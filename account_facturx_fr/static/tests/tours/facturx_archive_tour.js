import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("facturx_archive_tour", {
    url: "/odoo/action-account_facturx_fr.facturx_archive_action",
    steps: () => [
        {
            content: "The archive lists the issued invoice in words",
            trigger: ".o_list_view td.o_data_cell:contains(Invoice)",
        },
        {
            content: "with its total as an amount",
            trigger: ".o_list_view td.o_data_cell:contains(360.00)",
        },
        {
            content: "Open the entry",
            trigger: ".o_list_view td.o_data_cell:contains(Invoice)",
            run: "click",
        },
        {
            content: "The form reads the document type, not out_invoice",
            trigger: ".o_form_view .o_field_widget[name=document_type]:contains(Invoice)",
        },
        {
            content: "The validation tab says it in words",
            trigger: ".o_form_view .o_notebook a:contains(Validation)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=validation_summary]:contains(Valid)",
        },
        {
            content: "Check the chain",
            trigger: ".o_form_view button[name=action_check_integrity]",
            run: "click",
        },
        {
            content: "Intact",
            trigger: ".o_notification:contains(all intact)",
        },
    ],
});
