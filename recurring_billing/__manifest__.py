# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Recurring Billing",
    "summary": "Contracts and recurrence rules on sale orders, with a period ledger "
    "that makes double billing impossible",
    "version": "19.0.2.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["sale", "portal", "account_invoice_fr"],
    "data": [
        # security
        "security/recurring_billing_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        # views
        "views/recurring_rule_views.xml",
        "views/recurring_contract_views.xml",
        "views/recurring_period_views.xml",
        "views/recurring_price_index_views.xml",
        "views/account_move_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/recurring_contract_portal_templates.xml",
        "report/recurring_mrr_report_views.xml",
        "wizards/recurring_billing_settings_views.xml",
        "views/recurring_billing_menus.xml",
        # wizards
        "wizards/recurring_contract_pause_wizard_views.xml",
        "wizards/recurring_contract_terminate_wizard_views.xml",
    ],
    "demo": ["demo/recurring_billing_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "recurring_billing/static/tests/tours/**/*",
        ],
    },
}
