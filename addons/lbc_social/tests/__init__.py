from . import test_visibility
from . import test_network
from . import test_moderation
from . import test_security
from . import test_workflow_integrity
from . import test_visibility_paths
from . import test_portal
from . import test_featured
