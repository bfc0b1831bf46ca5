from . import lbc_compliance_document_type
from . import lbc_compliance_document
from . import lbc_compliance_reminder
from . import lbc_compliance_check
from . import res_partner
from . import lbc_compliance_client
from . import lbc_compliance_source_check
from . import res_config_settings
