from . import consolidation_policy
