# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def _time_left(cron, processed=0, remaining=None, deactivate=False):
    return float("inf")


class NoCommitMixin:
    """For the test classes of the addons whose crons and runs commit their
    progress (``ir.cron._commit_progress``, which commits even outside a
    cron, where a test's cursor refuses to): ``with self._no_commit():``
    keeps the test in one transaction, with all the time left."""

    @contextmanager
    def _no_commit(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", _time_left):
            yield


class InvoiceFrCommon(AccountTestInvoicingCommon):
    """A company under French law, in euros, with the seeded late-payment
    rates (H2 2025 and H1 2026)."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls.env.ref("base.EUR")
        eur.active = True
        kwargs.setdefault("currency_id", eur.id)
        return super().setup_independent_company(**kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.change_company_country(cls.env.company, cls.env.ref("base.fr"))

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date, **values):
        """A posted customer invoice of ``amount`` (no tax) due on ``due_date``."""
        line = {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []}
        line.update(values.pop("line", {}))
        move = cls.env["account.move"].create(
            {
                "move_type": values.pop("move_type", "out_invoice"),
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date,
                "invoice_line_ids": [Command.create(line)],
                **values,
            }
        )
        move.action_post()
        return move

    def _french(self, *partners):
        """French installed with this addon's translations; ``partners`` and
        the current user read French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo().search(
            [("name", "=", "account_invoice_fr")]
        )._load_module_terms(["account_invoice_fr"], ["fr_FR"], overwrite=True)
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
