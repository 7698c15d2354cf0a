# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Subscription Billing French Demo",
    "summary": "French demo company for the subscription-billing suite",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": [
        "l10n_fr_account",
        "account_facturx_fr",
        "recurring_billing",
        "consolidated_invoice",
        "dunning_levels",
        "ledger_export",
        "recurring_usage",
    ],
    # everything is demo data: a database without demo data is left untouched
    "demo": [
        # the main company becomes French (EUR, French chart of accounts)
        "demo/res_company_demo.xml",
        # recurrence rules, consolidation and dunning policies, customers,
        # subscriptions
        "demo/policy_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/recurring_contract_demo.xml",
        "demo/usage_demo.xml",
        # four months of history: bill runs, payments, dunning runs
        "demo/history_demo.xml",
    ],
}
