from . import facturx_archive_export
from . import recurring_billing_settings
