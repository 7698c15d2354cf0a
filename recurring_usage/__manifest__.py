# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Usage-Based Billing",
    "summary": "Metered usage rated and billed on the cycle invoice",
    "version": "19.0.1.2.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["recurring_billing", "consolidated_invoice"],
    "uninstall_hook": "uninstall_hook",
    "data": [
        # security
        "security/recurring_usage_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        # views
        "views/usage_templates.xml",
        "views/usage_metric_views.xml",
        "views/usage_event_views.xml",
        "views/usage_rating_views.xml",
        "views/usage_import_views.xml",
        "views/recurring_contract_views.xml",
        "views/recurring_contract_portal_templates.xml",
        "wizards/recurring_billing_settings_views.xml",
        "views/recurring_usage_menus.xml",
    ],
}
