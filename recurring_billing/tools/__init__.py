"""Plain-Python logic of recurring_billing: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
