# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Consolidated Invoicing - Automatic Payment",
    "summary": "Bill runs show the automatic payments they will start and started",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/facturo/subscription-billing",
    "author": "Facturo",
    "maintainers": ["facturo"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["consolidated_invoice", "recurring_payment"],
    "data": [
        # views
        "views/bill_run_views.xml",
    ],
}
