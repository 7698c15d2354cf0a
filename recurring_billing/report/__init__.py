from . import recurring_mrr_report
