from . import models
from . import wizards
from .hooks import pre_init_hook
from .post_load import post_load
