from . import recurring_contract_pause_wizard
from . import recurring_contract_terminate_wizard
from . import recurring_billing_settings
