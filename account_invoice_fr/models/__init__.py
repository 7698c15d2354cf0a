from . import dunning_rate
from . import res_company
from . import res_config_settings
from . import account_move
from . import account_move_line
from . import company_settings_form
