# Copyright 2026 Facturo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Recurring Payment SEPA Direct Debit",
    "summary": "Recurring invoices collected by SEPA direct debit: OCA mandates, "
    "payment orders and pain.008 files",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    # AGPL-3: it extends OCA's AGPL-3 banking addons
    "license": "AGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["recurring_payment", "account_banking_sepa_direct_debit"],
    "data": [
        # security
        "security/ir.model.access.csv",
        # data
        "data/ir_cron_data.xml",
        # wizards
        "wizards/recurring_payment_sepa_return_views.xml",
        "wizards/recurring_billing_settings_views.xml",
        # views
        "views/recurring_payment_attempt_views.xml",
        "views/recurring_contract_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/recurring_contract_portal_templates.xml",
    ],
}
