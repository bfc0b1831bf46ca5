from . import portal_account
from . import portal_lifecycle
from . import portal_social
from . import website
