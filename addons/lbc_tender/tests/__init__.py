from . import test_tender_flow
from . import test_tender_rights
from . import test_tender_concurrency
