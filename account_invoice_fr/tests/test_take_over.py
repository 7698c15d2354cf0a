# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import SQL

from ..hooks import pre_init_hook
from .common import InvoiceFrCommon


@tagged("post_install", "-at_install")
class TestTakeOver(InvoiceFrCommon):
    """A database installed before the split: the pre-init hook gives this
    addon the records, fields and values the old addons held."""

    def _owner(self, name):
        self.env.cr.execute(
            "SELECT module FROM ir_model_data WHERE name = %s ORDER BY module", [name]
        )
        return [module for (module,) in self.env.cr.fetchall()]

    def _give_back(self, module, names):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_model_data SET module = %s "
            "WHERE module = 'account_invoice_fr' AND name IN %s",
            [module, tuple(names)],
        )

    def test_rates_and_fields_of_dunning_levels_come_back_once(self):
        # (dunning_levels, which extends dunning.rate, keeps its own id of the model)
        names = [
            "dunning_rate_2025_h2",
            "dunning_rate_view_list",
            "field_res_company__late_payment_rate",
            "field_dunning_rate__ecb_rate",
        ]
        self._give_back("dunning_levels", names)
        rate = self.env.ref("account_invoice_fr.dunning_rate_2026_h1")
        self.env.cr.execute(
            "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) "
            "VALUES ('dunning_levels', 'dunning_rate_2026_h1', 'dunning.rate', %s, "
            "true)",
            [rate.id],
        )
        pre_init_hook(self.env)
        for name in names:
            self.assertEqual(self._owner(name), ["account_invoice_fr"], name)
        # taken over already: the old addon's copy is dropped, never duplicated
        self.assertEqual(self._owner("dunning_rate_2026_h1"), ["account_invoice_fr"])
        self.env.invalidate_all()
        self.assertAlmostEqual(
            self.env.ref("account_invoice_fr.dunning_rate_2025_h2").ecb_rate, 2.15
        )

    def test_purchase_order_and_vat_on_debits_keep_their_values(self):
        invoice = self._invoice(
            self.partner_a,
            100.0,
            "2026-03-31",
            "2026-04-30",
            purchase_order_reference="PO-17",
        )
        self.env.company.vat_on_debits = True
        self.env.flush_all()
        cr = self.env.cr
        # the columns and fields as consolidated_invoice named them
        for table, model, old, new in (
            (
                "account_move",
                "account.move",
                "purchase_order_ref",
                "purchase_order_reference",
            ),
            ("res_company", "res.company", "facturx_vat_on_debits", "vat_on_debits"),
        ):
            cr.execute(
                SQL(
                    "ALTER TABLE %s RENAME COLUMN %s TO %s",
                    SQL.identifier(table),
                    SQL.identifier(new),
                    SQL.identifier(old),
                )
            )
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
                [old, model, new],
            )
            cr.execute(
                "UPDATE ir_model_data SET module = 'consolidated_invoice', name = %s "
                "WHERE module = 'account_invoice_fr' AND name = %s",
                [
                    f"field_{table}__{old}",
                    f"field_{table}__{new}",
                ],
            )
        pre_init_hook(self.env)
        self.env.invalidate_all()
        cr.execute(
            "SELECT purchase_order_reference FROM account_move WHERE id = %s",
            [invoice.id],
        )
        self.assertEqual(cr.fetchone()[0], "PO-17")
        cr.execute(
            "SELECT vat_on_debits FROM res_company WHERE id = %s",
            [self.env.company.id],
        )
        self.assertTrue(cr.fetchone()[0])
        self.assertEqual(
            self._owner("field_account_move__purchase_order_reference"),
            ["account_invoice_fr"],
        )
        self.assertFalse(self._owner("field_account_move__purchase_order_ref"))
        self.assertEqual(
            self.env["ir.model.fields"]
            ._get("account.move", "purchase_order_reference")
            .name,
            "purchase_order_reference",
        )
