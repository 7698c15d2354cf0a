from . import dunning_policy
from . import dunning_level
from . import dunning_rate
