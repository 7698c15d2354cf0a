# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Recurring Payment",
    "summary": "Recurring invoices collected automatically with saved payment "
    "methods: idempotent charges, retries, pre-notification",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["account", "recurring_billing", "payment", "account_payment"],
    "data": [
        # security
        "security/recurring_payment_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        # views
        "views/recurring_payment_attempt_views.xml",
        "views/recurring_contract_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/recurring_contract_portal_templates.xml",
        "views/recurring_payment_menus.xml",
        "report/report_invoice_templates.xml",
        # wizards
        "wizards/recurring_billing_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "recurring_payment/static/tests/tours/**/*",
        ],
    },
}
