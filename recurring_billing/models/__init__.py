from . import recurring_rule
