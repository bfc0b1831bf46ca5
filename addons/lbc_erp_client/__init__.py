from .hooks import post_init_hook
from . import models
from . import wizard
