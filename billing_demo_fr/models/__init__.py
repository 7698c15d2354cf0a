from . import billing_demo
from . import ir_cron
