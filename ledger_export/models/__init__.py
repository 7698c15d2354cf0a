from . import ledger_export
from . import ledger_export_extract
from . import account_move
