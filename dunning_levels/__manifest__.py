# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dunning Levels",
    "summary": "Payment reminders in levels under French law: penalties, "
    "40 € indemnity, formal notice, one message per customer",
    "version": "19.0.2.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["account_invoice_fr", "mail"],
    "data": [
        # security
        "security/dunning_levels_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        # reports
        "report/dunning_reports.xml",
        "report/report_dunning_letter.xml",
        # wizards
        "wizards/dunning_dispute_wizard_views.xml",
        "wizards/dunning_promise_wizard_views.xml",
        "wizards/dunning_settings_views.xml",
        # views
        "views/dunning_level_views.xml",
        "views/dunning_policy_views.xml",
        "views/dunning_run_views.xml",
        "views/dunning_run_customer_views.xml",
        "views/dunning_customer_views.xml",
        "views/dunning_dispute_views.xml",
        "views/dunning_promise_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/dunning_levels_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dunning_levels/static/tests/tours/**/*",
        ],
    },
}
