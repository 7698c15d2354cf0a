# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import sql

from .common import UsageCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load(version, name):
    path = MIGRATIONS / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"usage_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(UsageCommon):
    def test_narrow_usage_event(self):
        """19.0.1.1.0 drops the columns 19.0.1.0.0 had; a fresh install has
        the narrow table."""
        cr = self.env.cr
        for column in ("create_uid", "write_uid", "create_date", "move_line_id"):
            self.assertFalse(sql.column_exists(cr, "usage_event", column))
        cr.execute(
            """
            ALTER TABLE usage_event
                ADD COLUMN create_uid integer, ADD COLUMN write_uid integer,
                ADD COLUMN create_date timestamp, ADD COLUMN write_date timestamp,
                ADD COLUMN move_line_id integer;
            """
        )
        load("19.0.1.1.0", "pre-migrate").migrate(cr, "19.0.1.0.0")
        for column in load("19.0.1.1.0", "pre-migrate").COLUMNS:
            self.assertFalse(sql.column_exists(cr, "usage_event", column))
        # a fresh install (no version) is left alone
        load("19.0.1.1.0", "pre-migrate").migrate(cr, None)

    def test_events_without_foreign_keys(self):
        """19.0.1.2.0 turns ``rating_id`` into claims, drops the column, the
        foreign keys and their records; a fresh install has none of them and
        the migration leaves it alone."""
        cr = self.env.cr
        self.assertEqual(self._foreign_keys(), [])
        self.assertTrue(sql.column_exists(cr, "usage_event", "ingest_xid"))
        self.assertFalse(sql.column_exists(cr, "usage_event", "rating_id"))
        contract = self._usage_contract()
        self._send(contract, [("2026-01-03T10:00:00", 5, "a")])
        self._run("2026-02-01")
        rating = contract.line_ids.usage_rating_ids
        event = self.env["usage.event"].search([("transaction_id", "=", "a")])
        self.assertEqual(event.rating_id, rating)
        self._send(contract, [("2026-02-03T10:00:00", 5, "b")])
        unbilled = self.env["usage.event"].search([("transaction_id", "=", "b")])
        # the 19.0.1.1.0 shape
        cr.execute(
            """
            DELETE FROM usage_event_claim;
            ALTER TABLE usage_event
                ADD COLUMN rating_id integer REFERENCES usage_rating(id)
                    ON DELETE SET NULL,
                ADD CONSTRAINT usage_event_company_id_fkey FOREIGN KEY (company_id)
                    REFERENCES res_company(id),
                ADD CONSTRAINT usage_event_contract_line_id_fkey
                    FOREIGN KEY (contract_line_id)
                    REFERENCES recurring_contract_line(id) ON DELETE RESTRICT;
            DROP TRIGGER usage_event_locked ON usage_event;
            CREATE TRIGGER usage_event_locked BEFORE UPDATE OR DELETE ON usage_event
                FOR EACH ROW WHEN (OLD.rating_id IS NOT NULL)
                EXECUTE FUNCTION usage_event_locked();
            CREATE INDEX usage_event__contract_id_index ON usage_event (contract_id);
            CREATE INDEX usage_event__rating_id_index ON usage_event (rating_id)
                WHERE rating_id IS NOT NULL;
            UPDATE usage_event SET rating_id = %s WHERE id = %s;
            INSERT INTO ir_model_constraint (name, type, model, module, create_date,
                                             write_date)
            SELECT k.name, 'f', m.id, w.id, now(), now()
              FROM ir_model m, ir_module_module w,
                   unnest(ARRAY['usage_event_company_id_fkey',
                                'usage_event_rating_id_fkey']) AS k(name)
             WHERE m.model = 'usage.event' AND w.name = 'recurring_usage';
            """,
            [rating.id, event.id],
        )
        self.assertEqual(len(self._foreign_keys()), 3)
        load("19.0.1.2.0", "pre-migrate").migrate(cr, "19.0.1.1.0")
        load("19.0.1.2.0", "post-migrate").migrate(cr, "19.0.1.1.0")
        self.assertEqual(self._foreign_keys(), [])
        self.assertFalse(sql.column_exists(cr, "usage_event", "rating_id"))
        self.assertFalse(sql.index_exists(cr, "usage_event__contract_id_index"))
        self.assertFalse(sql.index_exists(cr, "usage_event__rating_id_index"))
        cr.execute(
            """
            SELECT 1 FROM ir_model_constraint c JOIN ir_model m ON m.id = c.model
             WHERE m.model = 'usage.event' AND c.type = 'f'
            """
        )
        self.assertFalse(cr.fetchall())
        self.env.invalidate_all()
        self.assertEqual(event.rating_id, rating)
        self.assertEqual(unbilled.state, "unbilled")
        self.assertEqual(rating.event_ids, event)
        cr.execute("SELECT count(*) FROM usage_rating WHERE snapshot_xmin > '0'")
        self.assertEqual(cr.fetchone()[0], 0)
        # done once: running it again changes nothing
        load("19.0.1.2.0", "pre-migrate").migrate(cr, "19.0.1.2.0")
        self.assertEqual(rating.event_ids, event)
        # a fresh install (no version) is left alone
        load("19.0.1.2.0", "pre-migrate").migrate(cr, None)

    def _foreign_keys(self):
        self.env.cr.execute(
            """
            SELECT conname FROM pg_constraint
             WHERE conrelid = 'usage_event'::regclass AND contype = 'f'
             ORDER BY conname
            """
        )
        return [name for (name,) in self.env.cr.fetchall()]
