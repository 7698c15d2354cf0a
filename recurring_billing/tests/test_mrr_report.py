# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestMrrReport(RecurringBillingCommon):
    """MRR analysis: customers by month, a stock never summed across months,
    renewing contracts projected as renewed."""

    def setUp(self):
        super().setUp()
        cls = type(self)
        self.renewing = cls._contract(
            "2026-01-01",
            cls.monthly_calendar,
            date_end="2026-03-31",
            auto_renew=True,
        )
        self.ending = cls._contract(
            "2026-01-01",
            cls.monthly_calendar,
            lines=[{"product_id": cls.support.id}],
            date_end="2026-03-31",
            partner_id=cls.partner_b.id,
        )

    def _mrr(self, groupby, months=("2026-01-01", "2026-07-01")):
        self.env.flush_all()
        domain = [
            ("month", ">=", months[0]),
            ("month", "<", months[1]),
            ("contract_id", "in", (self.renewing | self.ending).ids),
        ]
        return self.env["recurring.mrr.report"]._read_group(
            domain, groupby, ["mrr:sum", "arr:sum"]
        )

    def test_renewing_contract_is_projected_as_renewed(self):
        by_month = {
            str(month)[:7]: round(mrr, 2)
            for month, mrr, _arr in self._mrr(["month:month"])
        }
        self.assertEqual(
            by_month,
            {
                "2026-01": 130.0,
                "2026-02": 130.0,
                "2026-03": 130.0,
                # past its end date, the renewing contract still counts
                "2026-04": 100.0,
                "2026-05": 100.0,
                "2026-06": 100.0,
            },
        )
        # once terminated, it is no longer projected
        self.renewing.sudo().write(
            {"state": "terminated", "termination_date": "2026-03-31"}
        )
        self.assertNotIn(
            "2026-04",
            {str(month)[:7] for month, _mrr, _arr in self._mrr(["month:month"])},
        )

    def test_totals_across_months_are_not_sums(self):
        by_partner = {
            partner: (round(mrr, 2), round(arr, 2))
            for partner, mrr, arr in self._mrr(["partner_id"])
        }
        # six months of 100.00 is an MRR of 100.00, not 600.00
        self.assertEqual(by_partner[self.partner_a], (100.0, 1200.0))
        self.assertEqual(by_partner[self.partner_b], (30.0, 360.0))
        ((total, _arr),) = self._mrr([])
        # the average month of the six: (3 × 130 + 3 × 100) / 6
        self.assertAlmostEqual(total, 115.0)

    def test_pivot_rows_by_customer_months_in_columns(self):
        # as the web client loads it, for the billing user
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.recurring_mrr_report_action"
        )
        self.assertEqual(action["view_mode"].split(",")[0], "pivot")
        context = safe_eval(action.get("context") or "{}")
        self.assertNotIn("group_by", context)
        self.assertNotIn("pivot_row_groupby", context)
        arch = self.env["recurring.mrr.report"].get_view(view_type="pivot")["arch"]
        pivot = etree.fromstring(arch)
        self.assertEqual(
            [(f.get("name"), f.get("type")) for f in pivot.iter("field")],
            [("partner_id", "row"), ("month", "col"), ("mrr", "measure")],
        )
