from . import controllers
from . import models
from . import wizards


def uninstall_hook(env):
    """What the module made in SQL beside its models' tables: the claims
    table and the functions of its checks and triggers."""
    env.cr.execute(
        """
        DROP TABLE IF EXISTS usage_event_claim;
        DROP FUNCTION IF EXISTS usage_rating_release() CASCADE;
        DROP FUNCTION IF EXISTS usage_event_locked() CASCADE;
        DROP FUNCTION IF EXISTS usage_to_timestamp(text);
        DROP FUNCTION IF EXISTS usage_to_jsonb(text);
        """
    )
