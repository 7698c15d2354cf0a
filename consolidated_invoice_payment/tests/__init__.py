from . import test_bill_run_collection
