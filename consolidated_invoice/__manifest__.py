# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Consolidated Invoicing",
    "summary": "Bill runs issuing one invoice per customer and billing cycle",
    "version": "19.0.2.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["recurring_billing", "account_invoice_fr"],
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/consolidated_invoice_security.xml",
        # data
        "data/ir_sequence_data.xml",
        "data/consolidation_policy_data.xml",
        "data/ir_cron_data.xml",
        # views
        "views/consolidation_policy_views.xml",
        "views/bill_run_views.xml",
        "views/recurring_contract_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        # wizards
        "wizards/recurring_billing_settings_views.xml",
        "views/consolidated_invoice_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "consolidated_invoice/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "consolidated_invoice/static/tests/tours/**/*",
        ],
    },
}
