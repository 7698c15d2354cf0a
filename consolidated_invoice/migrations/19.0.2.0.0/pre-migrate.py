# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Factur-X left consolidated_invoice for account_facturx_fr.

Its records pass to account_facturx_fr before this upgrade loads its data, so
that the upgrade neither validates views of fields it no longer defines nor
deletes the archive's cron, views and access rights; account_facturx_fr, which
no addon depends on, is marked to install in the same upgrade.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.account_facturx_fr.hooks import take_over_from_consolidated_invoice


def migrate(cr, version):
    if not version:
        return
    take_over_from_consolidated_invoice(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    module = env["ir.module.module"].search(
        [("name", "=", "account_facturx_fr"), ("state", "=", "uninstalled")]
    )
    module.button_install()
