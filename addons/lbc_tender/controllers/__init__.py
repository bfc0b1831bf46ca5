from . import portal
from . import portal_bid
from . import portal_company
from . import portal_skills
from . import portal_order
from . import portal_insights
