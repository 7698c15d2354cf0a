from . import test_fec_export
from . import test_export_language
from . import test_accountant_formats
from . import test_background
from . import test_tour
