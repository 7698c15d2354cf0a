# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "French Invoicing Base",
    "summary": "French invoice data: late-payment terms and rates, L441-9 "
    "mentions, service periods, buyer references, VAT on debits",
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
    "depends": ["account"],
    "data": [
        # security
        "security/ir.model.access.csv",
        # data
        "data/dunning_rate_data.xml",
        # views
        "views/dunning_rate_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_invoice_fr_menus.xml",
        # reports
        "report/report_invoice_templates.xml",
        "report/report_invoice_period_templates.xml",
        "report/report_invoice_line_templates.xml",
    ],
}
