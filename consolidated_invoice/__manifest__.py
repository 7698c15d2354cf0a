# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Consolidated Invoicing",
    "summary": "Bill runs issuing one invoice per customer and billing cycle, "
    "with Factur-X output for French e-invoicing",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "post_load": "post_load",
    "depends": ["recurring_billing", "dunning_levels", "account_edi_ubl_cii"],
    "external_dependencies": {"python": ["factur-x", "saxonche", "pikepdf"]},
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/consolidated_invoice_security.xml",
        # data
        "data/ir_sequence_data.xml",
        "data/consolidation_policy_data.xml",
        "data/ir_cron_data.xml",
        "data/facturx_cron_data.xml",
        # views
        "views/consolidation_policy_views.xml",
        "views/bill_run_views.xml",
        "views/recurring_contract_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_tax_views.xml",
        "views/facturx_archive_views.xml",
        "views/account_move_facturx_views.xml",
        # wizards
        "wizards/facturx_archive_export_views.xml",
        "wizards/recurring_billing_settings_views.xml",
        "views/consolidated_invoice_menus.xml",
        # reports
        "report/report_invoice_templates.xml",
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
