from . import test_invoicing
from . import test_report_rights
from . import test_exports
from . import test_purchase_approval
from . import test_subscription
from . import test_workflow_integrity
from . import test_facturx
from . import test_taxes
