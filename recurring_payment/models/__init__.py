from . import res_company
from . import res_partner
from . import recurring_contract
from . import recurring_invoicing
from . import recurring_payment_attempt
from . import account_move
from . import account_move_send
from . import payment_transaction
