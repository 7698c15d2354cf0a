import { registry } from "@web/core/registry";

/** The FEC export form as an accountant reads it. */
registry.category("web_tour.tours").add("ledger_export_wizard_tour", {
    steps: () => {
        const year = String(new Date().getFullYear() - 1);
        return [
            {
                content: "The fiscal year is written as a year, without separator",
                trigger: `.modal div[name=fiscal_year] input:value("${year}")`,
            },
            {
                content: "Choose the accountant's CSV",
                trigger: ".modal div[name=export_format] .o_select_menu_toggler",
                run: "click",
            },
            {
                trigger: ".o_select_menu_menu .o_select_menu_item:contains(Journal items CSV)",
                run: "click",
            },
            {
                content: "Date formats are shown as an example and a pattern",
                trigger: ".modal div[name=csv_date_format] .o_select_menu_toggler",
                run: "click",
            },
            {
                trigger: ".o_select_menu_menu .o_select_menu_item:contains(31/12/2025 (DD/MM/YYYY))",
            },
            {
                trigger: ".o_select_menu_menu .o_select_menu_item:contains(2025-12-31 (YYYY-MM-DD))",
                run: "click",
            },
            {
                trigger: '.modal div[name=csv_date_format] input:value("2025-12-31 (YYYY-MM-DD)")',
            },
            {
                content: "Leave without exporting",
                trigger: ".modal-footer button[special=cancel]",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
        ];
    },
});
