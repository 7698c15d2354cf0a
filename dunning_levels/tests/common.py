# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.account_invoice_fr.tests.common import NoCommitMixin


class DunningCommon(NoCommitMixin, AccountTestInvoicingCommon):
    """A company in euros with the seeded late-payment rates, a three-level
    policy (5, 20 and 45 days) and a credit controller running the tests."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls.env.ref("base.EUR")
        eur.active = True
        kwargs.setdefault("currency_id", eur.id)
        return super().setup_independent_company(**kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test user (accountman) sets dunning up and checks the results.
        cls.env.user.group_ids |= cls.env.ref("dunning_levels.group_dunning_manager")
        company = cls.env.company
        # A company under French law: its invoices carry the L441-9 mentions.
        cls.change_company_country(company, cls.env.ref("base.fr"))
        company.email = "billing@company.example.com"
        cls.policy = cls._policy(company)
        company.dunning_policy_id = cls.policy
        cls.level_1, cls.level_2, cls.level_3 = cls.policy.level_ids.sorted("sequence")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Durand SARL",
                "email": "compta@durand.example.com",
                "lang": "en_US",
                "street": "1 rue de la Paix",
                "city": "Paris",
                "zip": "75002",
            }
        )
        cls.controller = new_test_user(
            cls.env,
            login="credit_controller",
            groups="dunning_levels.group_dunning_user,account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _policy(cls, company, **values):
        return (
            cls.env["dunning.policy"]
            .sudo()
            .create(
                {
                    "name": "Standard",
                    "company_id": company.id,
                    "min_interval_days": 7,
                    "level_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "name": "Reminder",
                                "delay_days": 5,
                                "requires_previous": False,
                                "attach_statement": False,
                            }
                        ),
                        Command.create(
                            {
                                "sequence": 2,
                                "name": "Second reminder",
                                "delay_days": 20,
                                "claim_penalties": True,
                                "claim_indemnity": True,
                                "requires_previous": False,
                            }
                        ),
                        Command.create(
                            {
                                "sequence": 3,
                                "name": "Formal notice",
                                "delay_days": 45,
                                "claim_penalties": True,
                                "claim_indemnity": True,
                                "formal_notice": True,
                                "requires_previous": False,
                            }
                        ),
                    ],
                    **values,
                }
            )
        )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date, **values):
        """A posted customer invoice of ``amount`` (no tax) due on ``due_date``."""
        move = cls.env["account.move"].create(
            {
                "move_type": values.pop("move_type", "out_invoice"),
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
                **values,
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date):
        with freeze_time(date):
            return (
                cls.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"amount": amount, "payment_date": date})
                ._create_payments()
            )

    def _new_run(self, date, company=None):
        company = company or self.env.company
        return (
            self.env["dunning.run"]
            .with_user(self.controller)
            .with_company(company)
            .create({"date": date, "company_id": company.id})
        )

    def _run(self, date, company=None, preview=False):
        with freeze_time(date), self._no_commit():
            run = self._new_run(date, company)
            if preview:
                run.action_preview()
            run.action_run()
        return run

    def _french(self, *partners):
        """French installed with this addon's translations; ``partners`` and
        the current user read French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        modules = ["account_invoice_fr", "dunning_levels"]
        self.env["ir.module.module"].sudo().search(
            [("name", "in", modules)]
        )._load_module_terms(modules, ["fr_FR"], overwrite=True)
        for partner in partners:
            partner.lang = "fr_FR"

    def _rate(self, date_start, ecb_rate, legal_rate):
        return (
            self.env["dunning.rate"]
            .sudo()
            .create(
                {
                    "date_start": date_start,
                    "ecb_rate": ecb_rate,
                    "legal_rate": legal_rate,
                }
            )
        )

    def _reminder(self, run, partner=None):
        return run.customer_ids.filtered(
            lambda c: c.partner_id == (partner or self.customer) and not c.preview
        )

    def _emails_to(self, partner):
        """Email notifications of reminders posted on ``partner``'s chatter."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.commercial_partner_id.id),
                ("message_type", "=", "comment"),
                ("notification_ids.res_partner_id", "=", partner.id),
            ]
        )
        return messages
