import { onWillDestroy } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";

/** Sent by bill.run._notify_progress (models/bill_run.py) with the run's id. */
export const BILL_RUN_PROGRESS = "consolidated_invoice.bill_run_progress";

/**
 * The progress bar of a bill run form, reloading the run when the workers
 * billing it in the background report progress on the bus: the counts, the
 * state and the buttons follow without reloading the page.
 */
export class BillRunProgressField extends ProgressBarField {
    setup() {
        super.setup();
        const busService = useService("bus_service");
        this.reloadDebounced = useDebounced(() => this.reloadRun(), 500);
        const onProgress = ({ run_id }) => {
            if (run_id === this.props.record.resId) {
                this.reloadDebounced();
            }
        };
        busService.subscribe(BILL_RUN_PROGRESS, onProgress);
        onWillDestroy(() => busService.unsubscribe(BILL_RUN_PROGRESS, onProgress));
    }

    async reloadRun() {
        const record = this.props.record;
        if (!(await record.isDirty())) {
            await record.load();
        }
    }
}

registry.category("fields").add("bill_run_progressbar", {
    ...progressBarField,
    component: BillRunProgressField,
});
