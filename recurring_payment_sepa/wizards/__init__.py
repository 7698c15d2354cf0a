from . import recurring_billing_settings
from . import recurring_payment_sepa_return
