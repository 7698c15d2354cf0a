from . import ledger_export
from . import ledger_export_extract
from . import ledger_export_fec
from . import account_move
