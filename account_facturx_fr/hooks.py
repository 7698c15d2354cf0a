# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Factur-X was part of consolidated_invoice before 19.0.2.0.0.

The archive keeps its table (``facturx.archive``: the model name does not
change); its external ids, those of the Factur-X fields, views, menus, cron and
access rights pass to this addon before it loads its data (see
``account_invoice_fr/hooks.py``). consolidated_invoice's migration to 19.0.2.0.0
runs the same take-over and marks this addon to install.
"""

from odoo.addons.account_invoice_fr.hooks import take_over

MODELS = ["facturx.archive", "facturx.archive.export"]


def take_over_from_consolidated_invoice(cr):
    take_over(
        cr,
        "account_facturx_fr",
        "consolidated_invoice",
        # every Factur-X record has "facturx" in its external id, but the tax form
        names=["account_tax_view_form"],
        patterns=[r"%facturx%"],
        models=MODELS,
    )


def pre_init_hook(env):
    take_over_from_consolidated_invoice(env.cr)
