# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import RecurringBillingCommon


@tagged("post_install", "-at_install")
class TestContractScreens(RecurringBillingCommon):
    """Contract list totals, the terminate wizard's default, chatter language."""

    def _terminate_default(self, contract, today):
        with freeze_time(today):
            wizard = Form(
                self.env["recurring.contract.terminate.wizard"].with_context(
                    default_contract_id=contract.id
                )
            )
            return wizard.date

    def test_terminate_wizard_leaves_no_stub(self):
        contract = self._contract("2026-01-01", self.monthly_calendar, notice_days=30)
        self._bill("2026-03-01")
        self.assertEqual(contract.invoiced_until, date(2026, 3, 31))
        # the notice ends inside the invoiced days: the last billed day
        self.assertEqual(
            self._terminate_default(contract, "2026-03-01"), date(2026, 3, 31)
        )
        # it ends after them: the end of that period, not Apr 1–4
        self.assertEqual(
            self._terminate_default(contract, "2026-03-05"), date(2026, 4, 30)
        )
        contract.notice_days = 0
        self.assertEqual(
            self._terminate_default(contract, "2026-03-05"), date(2026, 3, 31)
        )
        # nothing billed yet: the end of the current period
        other = self._contract("2026-01-15", self.monthly, notice_days=0)
        self.assertEqual(
            self._terminate_default(other, "2026-03-20"), date(2026, 4, 14)
        )
        # the default is accepted by the termination itself
        with freeze_time("2026-03-05"):
            contract._terminate(self._terminate_default(contract, "2026-03-05"), "End")
        self.assertFalse(
            contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        )
        self.assertFalse(self._bill("2026-04-01", contract))

    def test_list_sums_only_the_monthly_figure(self):
        arch = self.env["recurring.contract"].get_view(view_type="list")["arch"]
        fields = {f.get("name"): f for f in etree.fromstring(arch).iter("field")}
        self.assertIsNone(fields["recurring_total"].get("sum"))
        self.assertTrue(fields["mrr"].get("sum"))
        monthly = self._contract("2026-01-01", self.monthly_calendar)
        yearly = self._contract("2026-01-01", self.yearly)
        self.env.flush_all()
        ((mrr,),) = self.env["recurring.contract"]._read_group(
            [("id", "in", (monthly | yearly).ids)], [], ["mrr:sum"]
        )
        self.assertAlmostEqual(mrr, 100 + 100 / 12, places=2)

    def test_creation_message_in_one_language(self):
        """Created without a language in the context (crons, data loading):
        the message is in the creating user's language, all of it."""
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo()._load_module_terms(
            ["recurring_billing"], ["fr_FR"], overwrite=True
        )
        french = new_test_user(
            self.env(su=True),
            login="billing_user_fr",
            groups="recurring_billing.group_billing_user",
            lang="fr_FR",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        self.assertEqual(self.billing_user.lang, "en_US")
        for user, expected, foreign in (
            (french, "Contrat créé", "Contract"),
            (self.billing_user, "Contract created", "créé"),
        ):
            env = self.env(user=user, context={})
            self.assertFalse(env.lang)
            contract = env["recurring.contract"].create(
                {
                    "partner_id": self.partner_a.id,
                    "rule_id": self.monthly.id,
                    "line_ids": [Command.create({"product_id": self.hosting.id})],
                }
            )
            bodies = " ".join(str(body) for body in contract.message_ids.mapped("body"))
            self.assertIn(expected, bodies)
            self.assertNotIn(foreign, bodies)
