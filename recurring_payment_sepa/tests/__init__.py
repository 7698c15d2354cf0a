from . import test_sepa_collection
from . import test_sepa_returns
from . import test_sepa_setup
from . import test_multi_company
from . import test_dunning_hand_over
from . import test_portal
