from . import lbc_activity_report
from . import lbc_referencing_list
from . import lbc_tender
from . import lbc_purchase_approval
from . import lbc_invoice_export
from . import lbc_subscription
from . import res_partner
from . import demo
