from . import account_tax
from . import res_company
from . import res_config_settings
from . import account_move_facturx
from . import account_move_send
from . import facturx_archive
from . import ir_actions_report
