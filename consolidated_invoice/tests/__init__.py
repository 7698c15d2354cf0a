from . import test_install
from . import test_bill_run
from . import test_default_policy
from . import test_bill_run_progress
from . import test_tour
from . import test_bill_run_concurrency
from . import test_invoice_presentation
