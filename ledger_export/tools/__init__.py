"""Plain-Python logic of ledger_export: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
