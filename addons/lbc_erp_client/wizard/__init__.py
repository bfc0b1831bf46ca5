from . import lbc_reason
