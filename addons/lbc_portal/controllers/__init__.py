from . import portal_account
from . import portal_lifecycle
from . import website
