from . import portal_account
from . import portal_marketplace
from . import portal_lifecycle
from . import website
