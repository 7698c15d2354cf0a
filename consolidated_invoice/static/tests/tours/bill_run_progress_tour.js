import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/** A run billed in the background: the open form follows it live. */
registry.category("web_tour.tours").add("bill_run_progress_tour", {
    steps: () => [
        {
            content: "The run is billing: a note, no Resume nor Run button",
            trigger: ".o_form_view div[name=running_alert]",
        },
        {
            trigger:
                ".o_form_view:not(:has(button[name=action_resume])):not(:has(button[name=action_run]))",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
        {
            content: "A worker bills the run meanwhile (the page is not reloaded)",
            trigger: ".o_form_view .o_field_widget[name=progress]",
            run: async () => {
                const runId = parseInt(window.location.pathname.split("/").pop());
                await rpc("/web/dataset/call_kw/bill.run/action_run", {
                    model: "bill.run",
                    method: "action_run",
                    args: [[runId]],
                    kwargs: {},
                });
            },
        },
        {
            content: "The bus tells the form: it shows the run done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
            timeout: 20000,
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains(Billed):contains(1)",
        },
        {
            trigger: ".o_form_view:not(:has(div[name=running_alert]))",
        },
    ],
});
