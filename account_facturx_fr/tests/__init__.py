from . import test_facturx_invoice
from . import test_facturx_archive
from . import test_facturx_mapping
from . import test_facturx_portal
from . import test_facturx_amounts
from . import test_facturx_rate_table
from . import test_facturx_tour
