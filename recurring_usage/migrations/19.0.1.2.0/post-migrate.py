# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.2.0: the ratings made before get the lowest snapshot bound, so the
next bill run of each line looks for late events among all its events once
(the events loaded before the upgrade all count as loaded by it)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE usage_rating SET snapshot_xmin = '0'")
