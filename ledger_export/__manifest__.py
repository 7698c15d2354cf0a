# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Ledger Export",
    "summary": "FEC (Fichier des Écritures Comptables) and accounting-software "
    "exports (CSV, EBP, Quadratus), streamed from PostgreSQL and checked",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["account"],
    "data": [
        # security
        "security/ledger_export_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_cron_data.xml",
        "data/ir_config_parameter_data.xml",
        # views
        "views/ledger_export_views.xml",
        "views/account_move_views.xml",
        "wizards/ledger_export_wizard_views.xml",
        "views/ledger_export_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "ledger_export/static/tests/tours/**/*",
        ],
    },
}
