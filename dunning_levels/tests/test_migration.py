# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools.misc import file_path

OLD_BODY = (
    '<div><p>Penalties at <t t-out="float(object._late_payment_terms()'
    "['penalty_rate'])\">12.15</t> %</p></div>"
)


@tagged("post_install", "-at_install")
class TestMigration(TransactionCase):
    """19.0.1.1.0: the reminder template of older databases is reset."""

    def _migrate(self):
        path = file_path("dunning_levels/migrations/19.0.1.1.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("dunning_post_migrate", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.0.0")

    def test_old_reminder_body_is_reset(self):
        template = self.env.ref("dunning_levels.mail_template_dunning_reminder")
        template.body_html = OLD_BODY
        self._migrate()
        template.invalidate_recordset()
        self.assertIn("_penalty_rate_text()", template.body_html)
        self.assertNotIn("penalty_rate'])", template.body_html)

    def test_customised_reminder_body_is_kept(self):
        template = self.env.ref("dunning_levels.mail_template_dunning_reminder")
        template.body_html = "<div><p>Our own words.</p></div>"
        self._migrate()
        template.invalidate_recordset()
        self.assertIn("Our own words.", template.body_html)
