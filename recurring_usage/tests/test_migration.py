# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import sql

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load(version, name):
    path = MIGRATIONS / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"usage_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(TransactionCase):
    def test_narrow_usage_event(self):
        """19.0.1.1.0 drops the columns 19.0.1.0.0 had and the old partial
        index; a fresh install has the narrow table."""
        cr = self.env.cr
        for column in ("create_uid", "write_uid", "create_date", "move_line_id"):
            self.assertFalse(sql.column_exists(cr, "usage_event", column))
        cr.execute(
            """
            ALTER TABLE usage_event
                ADD COLUMN create_uid integer REFERENCES res_users(id),
                ADD COLUMN write_uid integer REFERENCES res_users(id),
                ADD COLUMN create_date timestamp, ADD COLUMN write_date timestamp,
                ADD COLUMN move_line_id integer REFERENCES account_move_line(id);
            DROP INDEX usage_event_unbilled_index;
            CREATE INDEX usage_event_unbilled_index ON usage_event
                (company_id, metric_id, contract_line_id, timestamp)
                WHERE rating_id IS NULL;
            """
        )
        load("19.0.1.1.0", "pre-migrate").migrate(cr, "19.0.1.0.0")
        for column in load("19.0.1.1.0", "pre-migrate").COLUMNS:
            self.assertFalse(sql.column_exists(cr, "usage_event", column))
        self.assertFalse(sql.index_exists(cr, "usage_event_unbilled_index"))
        # a fresh install (no version) is left alone
        load("19.0.1.1.0", "pre-migrate").migrate(cr, None)
