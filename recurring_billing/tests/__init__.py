from . import test_install
from . import test_invoicing
from . import test_lifecycle
from . import test_sale_order
from . import test_multi_company
from . import test_revision
from . import test_tour
from . import test_portal
