# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDunningTour(HttpCase):
    def test_kanban_preview_and_run(self):
        company = self.env.company
        new_test_user(
            self.env,
            login="tour_credit_controller",
            password="tour_credit_controller",
            groups="dunning_levels.group_dunning_user,account.group_account_invoice",
        )
        company.dunning_policy_id = self.env["dunning.policy"].create(
            {
                "name": "Tour policy",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "Reminder",
                            "delay_days": 5,
                            "attach_statement": False,
                        }
                    )
                ],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Dunning Customer", "email": "tour@example.com"}
        )
        today = fields.Date.context_today(self.env.user)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=40),
                "invoice_date_due": today - timedelta(days=10),
                "invoice_line_ids": [
                    Command.create({"name": "Service", "price_unit": 120.0})
                ],
            }
        )
        invoice.action_post()
        self.start_tour(
            "/odoo/action-dunning_levels.dunning_customer_action",
            "dunning_run_tour",
            login="tour_credit_controller",
        )
        run = self.env["dunning.run"].search([], order="id desc", limit=1)
        self.assertEqual(run.state, "done")
        reminder = run.customer_ids.filtered(lambda c: c.partner_id == customer)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id.name, "Reminder")

    def test_level_form(self):
        manager = new_test_user(
            self.env,
            login="tour_credit_manager",
            password="tour_credit_manager",
            groups="dunning_levels.group_dunning_manager,account.group_account_manager",
        )
        policy = self.env["dunning.policy"].create(
            {
                "name": "Tour levels policy",
                "company_id": manager.company_id.id,
                "level_ids": [
                    Command.create(
                        {"sequence": 1, "name": "Tour reminder", "delay_days": 5}
                    )
                ],
            }
        )
        self.start_tour(
            "/odoo/action-dunning_levels.dunning_policy_action",
            "dunning_level_tour",
            login="tour_credit_manager",
        )
        level = policy.level_ids
        self.assertEqual(level.name, "Tour reminder by letter")
        self.assertEqual(level._channels(), ("email", "letter"))
        self.assertIn("Please pay within eight days.", level.letter_text)
