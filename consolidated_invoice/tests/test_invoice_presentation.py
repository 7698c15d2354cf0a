# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ConsolidationCommon


@tagged("post_install", "-at_install")
class TestInvoicePresentation(ConsolidationCommon):
    """What the customer gets: the consolidated invoice, printed and sent."""

    def _consolidated_invoice(self):
        hosting = self._contract(
            "2026-01-01",
            self.monthly_calendar,
            description="Web hosting",
            purchase_order_ref="PO-2026-17",
        )
        # starts mid-month: a prorated first period with its explanation
        support = self._contract(
            "2026-01-15",
            self.monthly_calendar,
            lines=[{"product_id": self.support.id}],
            description="Support desk",
            purchase_order_ref="PO-2026-17",
        )
        run = self._run("2026-02-01")
        return run, run.customer_ids.invoice_ids, hosting | support

    def test_pdf_shows_sections_periods_and_proration(self):
        _run, move, contracts = self._consolidated_invoice()
        self.assertEqual(len(move), 1)
        self.assertEqual(str(move.service_start_date), "2026-01-01")
        self.assertEqual(str(move.service_end_date), "2026-02-28")
        html = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        for contract in contracts:
            # one section per contract, named after it
            self.assertIn(contract.name, html)
        self.assertIn("Web hosting", html)
        self.assertIn("Support desk", html)
        self.assertIn("Billing Period", html)
        self.assertIn("PO-2026-17", html)
        self.assertIn("Service period", html)
        self.assertIn("Prorated 17/31 days", html)
        # section subtotals (core) in the order of the contracts
        self.assertLess(html.index(contracts[0].name), html.index(contracts[1].name))

    def test_auto_send_emails_the_posted_invoices(self):
        self.policy.sudo().write({"auto_post": True, "auto_send": True})
        self.partner_a.email = "billing@partner-a.example.com"
        self._contract("2026-01-01", self.monthly_calendar)
        run = self._run("2026-01-01")
        move = run.customer_ids.invoice_ids
        self.assertEqual(move.state, "posted")
        self.assertTrue(move.is_move_sent)
        # the email, logged on the invoice, to the customer, with the invoice
        move.invalidate_recordset()
        sent = move.message_ids.filtered(
            lambda message: self.partner_a in message.partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertTrue(sent.attachment_ids)

    def test_no_send_without_auto_send(self):
        self.policy.sudo().write({"auto_post": True, "auto_send": False})
        self.partner_a.email = "billing@partner-a.example.com"
        self._contract("2026-01-01", self.monthly_calendar)
        with freeze_time("2026-01-01"):
            move = self._run("2026-01-01").customer_ids.invoice_ids
        self.assertEqual(move.state, "posted")
        self.assertFalse(move.is_move_sent)
