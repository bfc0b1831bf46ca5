from . import portal
from . import portal_bid
from . import portal_company
