"""Which requests of a page may run on the read-only replica (`http.route(readonly=...)`).

Odoo 19 opens a read-only request on the replica (`db_replica_host`) when its route is declared `readonly`: a list or
a detail page, which writes nothing. A route that serves a form on GET and saves it on POST takes
`readonly=lbc_readonly_get`: the GET is read on the replica, the POST writes on the primary. So does a page whose
route accepts any method (no `methods=`), so that a stray POST is never sent to the replica.
"""

from odoo.http import request


def lbc_readonly_get(controller, rule, args):
    """`readonly` of a route: the GET (and HEAD) on the replica, any other method on the primary."""
    return request.httprequest.method in ("GET", "HEAD")
