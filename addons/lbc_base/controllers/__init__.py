from . import main
from . import portal
from . import portal_company
from . import portal_members
from . import readonly
