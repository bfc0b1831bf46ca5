from . import test_collaborators
from . import test_workflow_integrity
from . import test_retention
from . import test_collaborator_email
from . import test_portal_activity_report
from . import test_assignments
from . import test_self_billing_mandate
from . import test_provider_pages
