from . import test_install
from . import test_late_payment_terms
from . import test_dunning_run
from . import test_dunning_skips
from . import test_dunning_isolation
from . import test_dunning_charges
from . import test_tour
from . import test_settings
