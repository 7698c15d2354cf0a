# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningCommon(AccountTestInvoicingCommon):
    """A French company in euros with the seeded late-payment rates."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls.env.ref("base.EUR")
        eur.active = True
        kwargs.setdefault("currency_id", eur.id)
        return super().setup_independent_company(**kwargs)

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
