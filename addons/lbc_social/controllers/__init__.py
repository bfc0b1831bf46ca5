from . import portal
from . import portal_network
from . import portal_community
from . import readonly
