# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run state ``preview`` is named ``previewed`` since 19.0.2.1.0, as on
bill runs. The rows are renamed before the selection is loaded, so that Odoo
never finds a run holding a value the field no longer offers; the value's
record keeps its translations under the new name."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE dunning_run SET state = 'previewed' WHERE state = 'preview'")
    cr.execute(
        """
        UPDATE ir_model_fields_selection AS s
           SET value = 'previewed'
          FROM ir_model_fields AS f
         WHERE s.field_id = f.id
           AND f.model = 'dunning.run'
           AND f.name = 'state'
           AND s.value = 'preview'
        """
    )
    cr.execute(
        """
        UPDATE ir_model_data
           SET name = 'selection__dunning_run__state__previewed'
         WHERE module = 'dunning_levels'
           AND name = 'selection__dunning_run__state__preview'
        """
    )
