from . import references, schedule
