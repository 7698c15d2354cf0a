from . import recurring_billing_settings
