# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        """The demo runs dunning while its module installs, inside the
        installation's transaction: its progress must not be committed there
        (a commit would end the savepoint Odoo loads demo data in)."""
        if self.env.context.get("billing_demo_no_commit"):
            return float("inf")
        return super()._commit_progress(
            processed, remaining=remaining, deactivate=deactivate
        )
