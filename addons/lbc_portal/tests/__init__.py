from . import test_portal_account
from . import test_portal_marketplace
