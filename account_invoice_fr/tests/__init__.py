from . import test_install
from . import test_late_payment_terms
from . import test_take_over
