# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.2.0: usage_event loses its foreign keys (the model manages its
table) and the bill run's claims move to ``usage_event_claim``.

- a billed event's ``rating_id`` becomes its row in ``usage_event_claim``;
- the column goes, with the two indexes on it (billed, unbilled) and the lock
  trigger that read it (the module creates the new one);
- the foreign keys go (company, contract, contract line, metric, import) and
  their records in ``ir_model_constraint``; so does the contract index (the
  events of a contract are read through its lines).
"""

from odoo.addons.recurring_usage.models.usage_event import create_claim_table


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT 1 FROM pg_attribute
         WHERE attrelid = 'usage_event'::regclass AND attname = 'rating_id'
           AND NOT attisdropped
        """
    )
    if cr.fetchone():
        create_claim_table(cr)
        cr.execute(
            """
            -- its WHEN clause reads rating_id; init() creates the new one
            DROP TRIGGER IF EXISTS usage_event_locked ON usage_event;
            INSERT INTO usage_event_claim (event_id, rating_id)
            SELECT e.id, e.rating_id FROM usage_event e
              JOIN usage_rating r ON r.id = e.rating_id
            ON CONFLICT DO NOTHING;
            ALTER TABLE usage_event DROP COLUMN rating_id;
            """
        )
    cr.execute(
        """
        SELECT conname FROM pg_constraint
         WHERE conrelid = 'usage_event'::regclass AND contype = 'f'
        """
    )
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER TABLE usage_event DROP CONSTRAINT "{name}"')
    cr.execute(
        """
        DELETE FROM ir_model_constraint
         WHERE type = 'f'
           AND model IN (SELECT id FROM ir_model WHERE model = 'usage.event');
        DROP INDEX IF EXISTS usage_event__contract_id_index;
        """
    )
