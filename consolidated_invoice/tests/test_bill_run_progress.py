# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import formatLang, html2plaintext, mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ConsolidationCommon

STATES = ("draft", "previewed", "running", "done", "partly_failed", "failed")


@tagged("post_install", "-at_install")
class TestBillRunProgress(ConsolidationCommon):
    """What the clerk sees of a run: what the preview would invoice, the
    progress, the buttons of each state, the summary at the end."""

    def _customers(self):
        """partner_a: three contracts on one invoice, with quantities,
        discounts and a yearly line; partner_b: a contract prorated from the
        15th (30/360) with a discounted line; partner_c: below the minimum
        amount, carried over."""
        self.policy.sudo().minimum_amount = 20.0
        partner_c = self.env["res.partner"].sudo().create({"name": "Small customer"})
        cheap = (
            self.env["product.product"]
            .sudo()
            .create({"name": "Cheap", "type": "service", "list_price": 7.0})
        )
        contracts = (
            self._contract(
                "2026-01-01",
                self.monthly_calendar,
                lines=[{"product_id": self.hosting.id, "quantity": 3}],
            )
            | self._contract(
                "2026-01-01",
                self.monthly_calendar,
                lines=[
                    {"product_id": self.support.id, "discount": 12.5},
                    {"product_id": self.hosting.id, "price_unit": 33.33},
                ],
            )
            | self._contract("2026-01-01", self.yearly)
            | self._contract(
                "2026-01-15",
                self.monthly_calendar,
                partner_id=self.partner_b.id,
                proration_method="30_360",
                lines=[
                    {"product_id": self.hosting.id, "quantity": 2.5},
                    {"product_id": self.support.id, "discount": 10},
                ],
            )
            | self._contract(
                "2026-01-01",
                self.monthly_calendar,
                partner_id=partner_c.id,
                lines=[{"product_id": cheap.id}],
            )
        )
        return contracts

    def test_preview_lines_are_what_the_run_invoices(self):
        self._customers()
        with freeze_time("2026-02-01"):
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run.action_preview()
        self.assertEqual(len(run.customer_ids), 3)
        self.assertTrue(run.preview_amount)
        currency = run.currency_id
        self.assertFalse(
            currency.compare_amounts(
                run.preview_amount, sum(run.customer_ids.mapped("preview_amount"))
            )
        )
        previews = {}
        for customer in run.customer_ids:
            lines = customer.preview_line_ids.filtered(
                lambda line: not line.carried_over
            )
            self.assertFalse(
                currency.compare_amounts(
                    customer.preview_amount, sum(lines.mapped("price_subtotal"))
                )
            )
            self.assertEqual(customer.preview_line_count, len(lines))
            previews[customer.partner_id] = sorted(
                (
                    line.contract_id.id,
                    line.product_id.id,
                    str(line.period_start),
                    str(line.period_end),
                    line.quantity,
                    line.price_unit,
                    line.discount,
                    line.price_subtotal,
                )
                for line in lines
            )
        carried = run.customer_ids.filtered(
            lambda c: c.partner_id.name == "Small customer"
        )
        self.assertTrue(carried.preview_line_ids)
        self.assertTrue(all(carried.preview_line_ids.mapped("carried_over")))
        self.assertEqual(carried.preview_amount, 0.0)
        preview_total = run.preview_amount
        with freeze_time("2026-02-01"), self._no_commit():
            run._start()
            run._process()
        self.assertEqual(run.state, "done")
        self.assertFalse(currency.compare_amounts(run.amount_untaxed, preview_total))
        for customer in run.customer_ids:
            moves = customer.invoice_ids
            self.assertEqual(customer.amount_untaxed, customer.preview_amount)
            invoiced = sorted(
                (
                    line.recurring_period_ids.contract_id.id,
                    line.product_id.id,
                    str(line.service_start_date),
                    str(line.service_end_date),
                    line.quantity,
                    line.price_unit,
                    line.discount,
                    line.price_subtotal,
                )
                for line in moves.invoice_line_ids.filtered("product_id")
            )
            self.assertEqual(previews[customer.partner_id], invoiced)
        # the run wrote no preview line: they are the preview's
        self.assertEqual(
            self.env["bill.run.preview.line"].search_count(
                [("customer_id.run_id", "=", run.id)]
            ),
            sum(len(p) for p in previews.values()) + len(carried.preview_line_ids),
        )

    def test_preview_again_replaces_the_lines(self):
        self._customers()
        with freeze_time("2026-02-01"):
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run.action_preview()
            first = run.customer_ids.preview_line_ids
            run.action_preview()
        self.assertFalse(first.exists())
        self.assertEqual(len(run.customer_ids.preview_line_ids), len(first))

    def _bus_messages(self, notification_type):
        self.env.cr.precommit.run()
        messages = []
        for notification in self.env["bus.bus"].sudo().search([]):
            message = json.loads(notification.message)
            if message["type"] == notification_type:
                messages.append((json.loads(notification.channel), message["payload"]))
        return messages

    def test_summary_in_the_chatter_and_to_the_user(self):
        """A run with a blocked customer: the chatter says what was invoiced
        and what failed, the user who started it is notified on the bus, the
        open forms are told to reload."""
        self.policy.sudo().rule_journal = "block"
        self._customers()
        blocked = self._contract("2026-01-01", self.monthly_calendar)
        blocked.journal_id = (
            self.company_data["default_journal_sale"]
            .sudo()
            .copy({"name": "Second sales journal", "code": "SAL2"})
        )
        self._bus_messages("")
        self.env["bus.bus"].sudo().search([]).unlink()
        with (
            freeze_time("2026-02-01"),
            self._no_commit(),
            mute_logger("odoo.addons.consolidated_invoice.models.bill_run_customer"),
        ):
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run.action_preview()
            run.action_run()
        self.assertEqual(run.state, "partly_failed")
        self.assertEqual(run.user_id, self.env.user)
        self.assertEqual(
            (run.done_count, run.error_count, run.carried_count), (1, 1, 1)
        )
        amount = formatLang(self.env, run.amount_untaxed, currency_obj=run.currency_id)
        expected = (
            f"Bill run over: {run.invoice_count} invoices for {amount} untaxed, "
            "1 customers billed, 1 carried over, 1 in error."
        )
        self.assertIn(expected, html2plaintext(run.message_ids[0].body))
        notified = self._bus_messages("simple_notification")
        self.assertEqual(len(notified), 1)
        channel, payload = notified[0]
        self.assertEqual(channel[1:], ["res.partner", self.env.user.partner_id.id])
        self.assertEqual(payload["message"], expected)
        self.assertEqual(payload["type"], "warning")
        progress = self._bus_messages("consolidated_invoice.bill_run_progress")
        group = self.env.ref("recurring_billing.group_billing_user")
        self.assertEqual(
            {(tuple(c[1:]), p["run_id"]) for c, p in progress},
            {(("res.groups", group.id), run.id)},
        )

    def test_background_run_reports_each_chunk(self):
        self._customers()
        with freeze_time("2026-02-01"), self._no_commit():
            run = self.env["bill.run"].create({"date": "2026-02-01"})
            run._start()
            self._bus_messages("")
            self.env["bus.bus"].sudo().search([]).unlink()
            run._process(batch_size=1)
        progress = self._bus_messages("consolidated_invoice.bill_run_progress")
        # one per chunk of one customer, one at the end
        self.assertEqual(len(progress), len(run.customer_ids) + 1)
        self.assertEqual(run.state, "done")
        # a run started by the cron has nobody to notify, its chatter says it
        self.assertFalse(self._bus_messages("simple_notification"))
        self.assertIn("Bill run over:", html2plaintext(run.message_ids[0].body))

    def _arch(self, model, view_type):
        views = self.env[model].get_views([(False, view_type)])["views"]
        return etree.fromstring(views[view_type]["arch"])

    def test_buttons_of_each_state(self):
        """No Resume while a run is billing: a running run shows its progress
        and a note, a failed one offers to retry its failed customers."""
        form = self._arch("bill.run", "form")

        def visible(xpath, state):
            node = form.xpath(xpath)[0]
            invisible = node.get("invisible") or "False"
            return not safe_eval(invisible, {"state": state})

        expected = {
            "//button[@name='action_resume']": {"partly_failed", "failed"},
            "//button[@name='action_run']": {"draft", "previewed"},
            "//div[@name='running_alert']": {"running"},
            "//field[@name='progress']": {
                "running",
                "done",
                "partly_failed",
                "failed",
            },
        }
        for xpath, states in expected.items():
            self.assertEqual(
                {state for state in STATES if visible(xpath, state)}, states, xpath
            )
        self.assertEqual(
            form.xpath("//field[@name='progress']")[0].get("widget"),
            "bill_run_progressbar",
        )
        labels = [
            node.get("string")
            for node in form.xpath(
                "//button[@class and @name]/field[@widget='statinfo']"
            )
        ]
        self.assertEqual(labels[:4], ["Customers", "Billed", "Carried over", "Errors"])

    def test_customer_lines_filtered_by_state_and_error(self):
        self.policy.sudo().rule_journal = "block"
        self._customers()
        blocked = self._contract("2026-01-01", self.monthly_calendar)
        blocked.journal_id = (
            self.company_data["default_journal_sale"]
            .sudo()
            .copy({"name": "Second sales journal", "code": "SAL2"})
        )
        with mute_logger("odoo.addons.consolidated_invoice.models.bill_run_customer"):
            run = self._run("2026-02-01")
        search = self._arch("bill.run.customer", "search")
        counts = {
            "filter_done": run.done_count,
            "filter_carried_over": run.carried_count,
            "filter_error": run.error_count,
        }
        for name, count in counts.items():
            self.assertEqual(count, 1)
            domain = safe_eval(
                search.xpath(f"//filter[@name='{name}']")[0].get("domain")
            )
            action = run.with_context(
                **{f"search_default_{name}": 1}
            ).action_view_customers()
            self.assertEqual(action["context"], {f"search_default_{name}": 1})
            self.assertEqual(
                self.env["bill.run.customer"].search(
                    Domain(action["domain"]) & Domain(domain)
                ),
                run.customer_ids.filtered(
                    lambda c, name=name: c.state == name.removeprefix("filter_")
                ),
            )

    def test_summary_of_a_cron_run_in_the_company_language(self):
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo().search(
            [("name", "=", "consolidated_invoice")]
        )._load_module_terms(["consolidated_invoice"], ["fr_FR"], overwrite=True)
        self.env.company.partner_id.sudo().lang = "fr_FR"
        self._customers()
        with freeze_time("2026-02-01"), self._no_commit():
            self.env["bill.run"].sudo()._cron_daily()
        run = self.env["bill.run"].search([("automatic", "=", True)])
        self.assertFalse(run.user_id)
        self.assertIn(
            "Campagne terminée : 2 factures pour ",
            html2plaintext(run.message_ids[0].body),
        )
