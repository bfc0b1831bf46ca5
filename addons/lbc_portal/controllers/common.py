"""Helpers shared by the portal controllers. Odoo merges the controller classes that extend CustomerPortal, so
code shared between them lives here as functions rather than as methods of one of them."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

# the refusals a member's action may meet: shown on the page, nothing half-done kept
BUSINESS_ERRORS = (UserError, ValidationError, AccessError)


def error_text(error):
    return error.args[0] if error.args else str(error)


def lbc_call(method, *args, **kwargs):
    """Run a business method in a savepoint: on refusal nothing half-done stays; returns (ok, result or message)."""
    try:
        with request.env.cr.savepoint():
            return True, method(*args, **kwargs)
    except BUSINESS_ERRORS as error:
        return False, error_text(error)
