from . import bill_run
from . import bill_run_customer
from . import bill_run_preview_line
