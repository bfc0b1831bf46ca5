from . import res_partner
from . import lbc_mission_assignment
from . import lbc_activity_report
from . import lbc_activity_report_line
from . import lbc_mission
from . import account_move
