# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningFirstUse(DunningCommon):
    """What a clerk meets first: ordinary entries, the preview, the letter,
    the levels."""

    def _misc_entry(self, partner, amount, date, due_date):
        """A posted journal entry on the receivable account, without an
        invoice date: an opening balance or a manual adjustment."""
        receivable = self.company_data["default_account_receivable"]
        revenue = self.company_data["default_account_revenue"]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "journal_id": self.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "debit": amount,
                            "date_maturity": due_date,
                        }
                    ),
                    Command.create(
                        {"account_id": revenue.id, "credit": amount, "name": "Opening"}
                    ),
                ],
            }
        )
        move.action_post()
        self.assertFalse(move.invoice_date)
        return move

    def _preview(self, date, lang=None):
        with freeze_time(date):
            run = self._new_run(date)
            if lang:
                run = run.with_context(lang=lang)
            run.action_preview()
        return run

    # ------------------------------------------------------------------
    # Entries without an invoice date (#13.1)
    # ------------------------------------------------------------------

    def test_entry_without_invoice_date_in_preview_and_run(self):
        entry = self._misc_entry(self.customer, 700.0, "2026-01-05", "2026-02-04")
        invoice = self._invoice(self.customer, 100.0, "2026-02-01", "2026-03-03")
        run = self._preview("2026-03-15")
        preview = run.customer_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(preview.state, "to_send")
        # 39 days late from its due date → level 2
        self.assertEqual(preview.level_id, self.level_2)
        self.assertIn(entry.name, preview.explanation)
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.line_ids.move_id, entry | invoice)
        line = reminder.line_ids.filtered(lambda ln: ln.move_id == entry)
        self.assertFalse(line.invoice_date)
        self.assertEqual(str(line.due_date), "2026-02-04")
        self.assertAlmostEqual(reminder.amount_overdue, 800.0)

    def test_preview_rows_read_back_as_the_orm_stores_them(self):
        """The reminders are inserted in SQL: their stored related fields,
        flags and amounts are what the ORM would have written."""
        self._invoice(self.customer, 100.005, "2026-02-01", "2026-03-03")
        self._invoice(self.customer, 300.0, "2026-01-01", "2026-01-31")
        run = self._preview("2026-03-15")
        self.env.invalidate_all()
        preview = run.customer_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(preview.date, run.date)
        self.assertEqual(preview.level_sequence, preview.level_id.sequence)
        self.assertTrue(preview.preview)
        self.assertEqual(preview.company_id, run.company_id)
        currency = preview.currency_id
        for amount in ("amount_overdue", "amount_penalty", "amount_total"):
            self.assertEqual(preview[amount], currency.round(preview[amount]))
        self.assertEqual(
            preview.amount_overdue,
            currency.round(sum(preview.line_ids.mapped("amount_due"))),
        )
        self.assertEqual(
            self.env["dunning.run.customer"].search([("run_id", "=", run.id)]),
            run.customer_ids,
        )

    def test_entry_without_due_date_uses_its_accounting_date(self):
        entry = self._misc_entry(self.customer, 300.0, "2026-02-01", False)
        run = self._run("2026-03-15")
        line = self._reminder(run).line_ids.filtered(lambda ln: ln.move_id == entry)
        self.assertEqual(str(line.due_date), "2026-02-01")
        self.assertEqual(line.days_late, 42)

    def test_cron_runs_with_entries_without_invoice_date(self):
        self._misc_entry(self.customer, 700.0, "2026-01-05", "2026-02-04")
        with freeze_time("2026-03-15"), self._no_commit():
            self.env["dunning.run"].sudo()._cron_run()
        run = self.env["dunning.run"].search([("company_id", "=", self.env.company.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(self._reminder(run).state, "sent")

    # ------------------------------------------------------------------
    # Overdue from the day after the due date (#13.7)
    # ------------------------------------------------------------------

    def test_invoice_due_today_is_not_overdue(self):
        late = self._invoice(self.customer, 500.0, "2026-02-01", "2026-03-03")
        today = self._invoice(self.customer, 200.0, "2026-02-13", "2026-03-15")
        self.level_1.channel_letter = True
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertAlmostEqual(reminder.amount_overdue, 500.0)
        self.assertEqual(reminder.action_ids.move_id, late)
        by_move = {line.move_id: line for line in reminder.line_ids}
        self.assertEqual(by_move[today].days_late, 0)
        self.assertEqual(by_move[today].penalty, 0.0)
        (summary,) = reminder._currency_summaries()
        self.assertEqual(summary["invoices"].move_id, late)
        self.assertEqual(summary["not_due"].move_id, today)
        self.assertAlmostEqual(summary["net"], 500.0)
        body = reminder.message_id.body
        self.assertIn("Not yet due, for your information:", body)
        self.assertLess(body.index(late.name), body.index("Not yet due"))
        self.assertGreater(body.index(today.name), body.index("Not yet due"))

    # ------------------------------------------------------------------
    # Payment instructions on the letter (#13.8)
    # ------------------------------------------------------------------

    def test_letter_carries_bank_details_and_payment_references(self):
        # the company's account, set up by an administrator (with OCA's
        # account_payment_order, only its payment group may create one)
        bank = (
            self.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "partner_id": self.env.company.partner_id.id,
                    "acc_number": "FR76 3000 6000 0112 3456 7890 189",
                    "bank_id": self.env["res.bank"]
                    .create({"name": "Banque Exemple", "bic": "AGRIFRPPXXX"})
                    .id,
                    "allow_out_payment": True,
                }
            )
        )
        invoice = self._invoice(
            self.customer, 500.0, "2026-02-01", "2026-03-03", partner_bank_id=bank.id
        )
        self.assertTrue(invoice.payment_reference)
        self.level_1.channel_letter = True
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dunning_levels.report_dunning_letter", reminder.ids)[0]
            .decode()
        )
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", html)
        self.assertIn("AGRIFRPPXXX", html)
        self.assertIn("Payment reference", html)
        self.assertIn(invoice.payment_reference, html)
        self.assertIn("Payment by bank transfer", html)

    def test_letter_falls_back_on_the_bank_journal_account(self):
        bank = (
            self.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "partner_id": self.env.company.partner_id.id,
                    "acc_number": "FR76 1000 7000 0000 0000 0000 123",
                    "allow_out_payment": True,
                }
            )
        )
        self.company_data["default_journal_bank"].sudo().bank_account_id = bank
        invoice = self._invoice(self.customer, 500.0, "2026-02-01", "2026-03-03")
        invoice.partner_bank_id = False
        run = self._run("2026-03-15")
        reminder = self._reminder(run)
        self.assertEqual(reminder._payment_bank_accounts(), bank)

    # ------------------------------------------------------------------
    # The preview, in French (#13.12)
    # ------------------------------------------------------------------

    def test_preview_in_french_with_the_channel_to_use(self):
        self._invoice(self.customer, 19250.0, "2025-12-11", "2026-01-10")
        small = self.env["res.partner"].create({"name": "Petit Client"})
        self._invoice(small, 10.0, "2025-12-11", "2026-01-10")
        self.policy.tolerance = 15.0
        self._french(self.controller.partner_id)
        self.controller.lang = "fr_FR"
        run = self._preview("2026-03-15", "fr_FR")
        self.assertNotIn("2026-03-15", run.name)
        self.assertIn("15/03/2026", run.name)
        preview = run.customer_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(
            preview.summary,
            f"La facture {preview.line_ids.name} a 64 jours de retard → niveau 3 "
            "(Formal notice).",
        )
        self.assertEqual(preview.channels, "email")
        self.assertEqual(preview.with_user(self.controller).channels_display, "E-mail")
        # the customer without an email address gets a letter, known now
        self.customer.email = False
        run = self._preview("2026-03-15", "fr_FR")
        preview = run.customer_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(preview.channels, "letter")
        skipped = run.customer_ids.filtered(lambda c: c.partner_id == small)
        self.assertEqual(skipped.state, "skipped")
        self.assertEqual(
            skipped.summary,
            "Le montant net dû de 10,00\xa0€ est inférieur ou égal à la tolérance "
            "de 15,00\xa0€ → pas de relance.",
        )
        self.assertNotIn("10.0", skipped.explanation)

    # ------------------------------------------------------------------
    # Editing a level (#13.13)
    # ------------------------------------------------------------------

    def test_level_form_edits_texts_channels_and_template(self):
        template = self.env.ref("dunning_levels.mail_template_dunning_reminder").copy(
            {"name": "Relance ferme"}
        )
        with Form(self.level_2, view="dunning_levels.dunning_level_view_form") as form:
            form.name = "Relance ferme"
            form.delay_days = 25
            form.channel_letter = True
            form.channel_activity = True
            form.claim_penalties = False
            form.mail_template_id = template
            form.letter_text = "<p>Nos factures restent impayées.</p>"
        level = self.level_2
        self.assertEqual(level.name, "Relance ferme")
        self.assertEqual(level.delay_days, 25)
        self.assertEqual(level._channels(), ("email", "letter", "activity"))
        self.assertEqual(level.channels_display, "Email, Letter, Activity")
        self.assertEqual(level.mail_template_id, template)
        self.assertIn("Nos factures restent impayées.", level.letter_text)
        self.assertFalse(level.claim_penalties)

    def test_levels_list_and_policy_form(self):
        action = self.env.ref("dunning_levels.dunning_level_action")
        self.assertEqual(action.res_model, "dunning.level")
        with Form(self.policy) as form:
            self.assertEqual(len(form.level_ids), 3)
            with form.level_ids.new() as level:
                level.sequence = 0
                level.name = "Rappel courtois"
                level.delay_days = -3
        first = self.policy.level_ids.sorted("sequence")[0]
        self.assertEqual((first.name, first.delay_days), ("Rappel courtois", -3))
