from . import test_collection
from . import test_collection_batch
from . import test_collection_setup
from . import test_multi_company
from . import test_dunning_hand_over
from . import test_portal
from . import test_collection_notice_mail
from . import test_portal_tour
