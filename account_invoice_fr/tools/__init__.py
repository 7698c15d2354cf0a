"""Plain-Python logic of account_invoice_fr: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
