from . import dunning_dispute_wizard
from . import dunning_promise_wizard
from . import dunning_settings
