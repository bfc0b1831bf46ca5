from . import test_document
from . import test_status_gate
from . import test_cron
from . import test_security
from . import test_workflow_integrity
from . import test_portal_document
from . import test_abuse_upload
from . import test_abuse_cron
