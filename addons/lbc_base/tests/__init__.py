from . import test_company
from . import test_member
from . import test_agreement
