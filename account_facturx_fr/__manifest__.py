# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Factur-X for France",
    "summary": "Factur-X EN 16931 invoices for French e-invoicing: build, validate, "
    "PDF/A-3, archive",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "pre_init_hook": "pre_init_hook",
    "post_load": "post_load",
    "depends": ["account_edi_ubl_cii", "account_invoice_fr"],
    "external_dependencies": {"python": ["factur-x", "saxonche", "pikepdf"]},
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/account_facturx_fr_security.xml",
        # data
        "data/ir_cron_data.xml",
        # views
        "views/res_config_settings_views.xml",
        "views/account_tax_views.xml",
        "views/facturx_archive_views.xml",
        "views/account_move_facturx_views.xml",
        # wizards
        "wizards/facturx_archive_export_views.xml",
        "views/account_facturx_fr_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_facturx_fr/static/tests/tours/**/*",
        ],
    },
}
