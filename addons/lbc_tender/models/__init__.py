from . import res_partner
from . import lbc_tender
from . import lbc_tender_bid
from . import lbc_mission
from . import sale_order
from . import purchase_order
from . import account_chart_template
from . import product_template
