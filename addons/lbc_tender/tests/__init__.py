from . import test_tender_flow
from . import test_tender_rights
from . import test_tender_concurrency
from . import test_sealed_bids
from . import test_workflow_integrity
from . import test_dashboard
from . import test_portal_tender
from . import test_abuse_concurrency
