# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reminder email template is loaded with noupdate: a database installed
before 19.0.1.1.0 keeps a body that formats the penalty rate as a float,
which fails now that the rate of a half-year without figures is None. Such a
body is reset to the module's (and its translations); a template whose body
no longer uses that expression was customised and is left alone."""

from odoo import SUPERUSER_ID, api

OLD_EXPRESSION = "float(object._late_payment_terms()['penalty_rate'])"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "dunning_levels.mail_template_dunning_reminder", raise_if_not_found=False
    )
    if template and OLD_EXPRESSION in (template.body_html or ""):
        template.reset_template()
