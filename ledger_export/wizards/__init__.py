from . import ledger_export_wizard
