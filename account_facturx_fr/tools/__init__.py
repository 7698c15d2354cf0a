"""Plain-Python logic of account_facturx_fr: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
