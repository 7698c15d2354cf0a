# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dunning Levels",
    "summary": "Payment reminders in levels under French law: penalties, "
    "40 € indemnity, formal notice, one message per customer",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["account", "mail"],
    "data": [
        # security
        "security/dunning_levels_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/dunning_rate_data.xml",
        # views
        "views/dunning_policy_views.xml",
        "views/dunning_rate_views.xml",
        "views/res_config_settings_views.xml",
        "views/dunning_levels_menus.xml",
        # reports
        "report/report_invoice.xml",
    ],
}
