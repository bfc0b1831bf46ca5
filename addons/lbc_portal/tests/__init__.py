from . import test_portal_account
from . import test_portal_marketplace
from . import test_abuse_access
from . import test_abuse_upload
from . import test_abuse_concurrency
from . import test_abuse_cron
from . import test_portal_lifecycle
from . import test_portal_tour_isolation
