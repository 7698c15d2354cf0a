from . import test_ingestion
from . import test_usage_billing
from . import test_endpoint
from . import test_usage_alerts
from . import test_usage_prepaid
from . import test_usage_resume
from . import test_migration
from . import test_usage_claims
