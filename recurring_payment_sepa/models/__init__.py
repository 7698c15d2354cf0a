from . import account_move
from . import account_payment
from . import account_payment_order
from . import recurring_contract
from . import recurring_invoicing
from . import recurring_payment_attempt
from . import res_company
from . import res_partner
