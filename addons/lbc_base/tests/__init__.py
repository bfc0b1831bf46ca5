from . import test_company
from . import test_member
from . import test_agreement
from . import test_lifecycle
from . import test_lifecycle_http
from . import test_workflow_integrity
from . import test_dashboard
from . import test_portal_company
