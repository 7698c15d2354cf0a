# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: a narrower usage_event for bulk loads and the bill run's claim.

- no create/write uid and date any more (``_log_access = False``): the two
  foreign keys to res_users were checked for every loaded event;
- the invoice line is read through the rating (``rating_id.move_line_id``):
  the claim writes one column instead of two, one foreign key less;
- the partial index over unbilled events is keyed by (contract line,
  timestamp), as the bill run reads them (the ORM recreates it: its
  definition changed).
"""

COLUMNS = ("create_uid", "create_date", "write_uid", "write_date", "move_line_id")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE usage_event "
        + ", ".join(f"DROP COLUMN IF EXISTS {column}" for column in COLUMNS)
    )
    cr.execute("DROP INDEX IF EXISTS usage_event_unbilled_index")
