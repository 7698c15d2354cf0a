# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo.addons.recurring_billing.tests.common import RecurringBillingCommon


class ConsolidationCommon(RecurringBillingCommon):
    """A company policy consolidating monthly on the 1st, two customers."""

    @classmethod
    def _setup_billing_data(cls):
        result = super()._setup_billing_data()
        cls.policy = (
            cls.env["consolidation.policy"]
            .sudo()
            .create({"name": "Monthly on the 1st", "billing_day": "1"})
        )
        cls.env.company.sudo().consolidation_policy_id = cls.policy
        cls.partner_b.lang = "en_US"
        return result

    def _run(self, date, preview=True, **values):
        with freeze_time(date), self._no_commit():
            run = self.env["bill.run"].create({"date": date, **values})
            if preview:
                run.action_preview()
            run._start()
            run._process()
        return run
