# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Take over records from the addons this one was split from.

Databases installed before the split hold the rows of the moved models, the
columns of the moved fields and the records of the moved data files under the
old addons' external ids. Before the new addon loads its data, its
``pre_init_hook`` gives those external ids to the new addon (as OCA's
openupgradelib ``update_module_names`` and ``rename_xmlids`` do, in plain SQL):
the records are then updated in place instead of created twice (the seeded
rates, the noupdate crons), and the old addon's upgrade does not delete them.
Renamed fields get their column renamed first, so their values move with them.
On a new database nothing matches and nothing happens.
"""

import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)


def field_xmlid(model, field):
    return f"field_{model.replace('.', '_')}__{field}"


def rename_field(cr, module, model, old, new):
    """Rename a stored field: its column, its ``ir.model.fields`` row and its
    external id (owned by ``module``), when the old one is still there."""
    table = model.replace(".", "_")
    if sql.column_exists(cr, table, old) and not sql.column_exists(cr, table, new):
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
        _logger.info("Renamed column %s.%s to %s", table, old, new)
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s "
        "AND NOT EXISTS (SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s)",
        (new, model, old, model, new),
    )
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = %s "
        "AND model = 'ir.model.fields' AND name = %s",
        (field_xmlid(model, new), module, field_xmlid(model, old)),
    )


def take_over(cr, new_module, old_module, names=(), patterns=(), models=()):
    """Give ``new_module`` the external ids of ``old_module`` named in
    ``names`` or matching a SQL LIKE pattern of ``patterns``, and the database
    constraints and many2many relations of ``models``."""
    if not names and not patterns:
        return
    clauses = [SQL("name IN %s", tuple(names))] if names else []
    clauses += [SQL("name LIKE %s", pattern) for pattern in patterns]
    condition = SQL(" OR ").join(clauses)
    # an id already taken over (a second run) is only dropped from the old addon
    cr.execute(
        SQL(
            "DELETE FROM ir_model_data old WHERE old.module = %s AND (%s) "
            "AND EXISTS (SELECT 1 FROM ir_model_data new "
            "WHERE new.module = %s AND new.name = old.name)",
            old_module,
            condition,
            new_module,
        )
    )
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET module = %s WHERE module = %s AND (%s)",
            new_module,
            old_module,
            condition,
        )
    )
    _logger.info(
        "%s takes over %s external ids of %s", new_module, cr.rowcount, old_module
    )
    if models:
        for table in ("ir_model_constraint", "ir_model_relation"):
            cr.execute(
                SQL(
                    "UPDATE %s SET module = (SELECT id FROM ir_module_module "
                    "WHERE name = %s) WHERE module = (SELECT id FROM "
                    "ir_module_module WHERE name = %s) AND model IN "
                    "(SELECT id FROM ir_model WHERE model IN %s)",
                    SQL.identifier(table),
                    new_module,
                    old_module,
                    tuple(models),
                )
            )


def _fields(model, names):
    return [field_xmlid(model, name) for name in names]


LATE_PAYMENT_FIELDS = [
    "late_payment_rate_type",
    "late_payment_rate",
    "late_payment_indemnity",
    "late_payment_indemnity_currency_id",
    "early_payment_discount_terms",
]


def pre_init_hook(env):
    cr = env.cr
    # dunning_levels: the rate table, the late-payment terms, the L441-9 mentions
    take_over(
        cr,
        "account_invoice_fr",
        "dunning_levels",
        names=[
            "model_dunning_rate",
            "dunning_rate_2025_h2",
            "dunning_rate_2026_h1",
            "dunning_rate_view_list",
            "dunning_rate_action",
            "access_dunning_rate_invoice",
            "report_invoice_document",
            *_fields("res.company", LATE_PAYMENT_FIELDS),
            *_fields("res.config.settings", LATE_PAYMENT_FIELDS),
        ],
        patterns=[
            r"field\_dunning\_rate\_\_%",
            r"selection\_\_res\_company\_\_late\_payment\_rate\_type\_\_%",
            r"selection\_\_res\_config\_settings\_\_late\_payment\_rate\_type\_\_%",
        ],
        models=["dunning.rate"],
    )
    # consolidated_invoice: buyer references, invoice period, VAT on debits
    rename_field(
        cr,
        "consolidated_invoice",
        "account.move",
        "purchase_order_ref",
        "purchase_order_reference",
    )
    for model in ("res.company", "res.config.settings"):
        rename_field(
            cr, "consolidated_invoice", model, "facturx_vat_on_debits", "vat_on_debits"
        )
    take_over(
        cr,
        "account_invoice_fr",
        "consolidated_invoice",
        names=[
            *_fields(
                "account.move",
                [
                    "buyer_reference",
                    "purchase_order_reference",
                    "service_start_date",
                    "service_end_date",
                ],
            ),
            *_fields("res.company", ["vat_on_debits"]),
            *_fields("res.config.settings", ["vat_on_debits"]),
        ],
    )
    # recurring_billing: the service period of a line
    take_over(
        cr,
        "account_invoice_fr",
        "recurring_billing",
        names=_fields("account.move.line", ["service_start_date", "service_end_date"]),
    )
