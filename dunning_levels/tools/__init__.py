"""Plain-Python logic of dunning_levels: no Odoo import, tested without Odoo
by the repository's pytest (README.md of the repository, *Test*)."""
