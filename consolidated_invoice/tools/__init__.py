"""Plain-Python logic of consolidated_invoice: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
