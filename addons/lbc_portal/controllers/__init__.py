from . import portal_account
from . import portal_marketplace
