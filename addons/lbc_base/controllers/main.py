from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.lbc_security_report import LbcRateLimitError


class LbcAccountController(http.Controller):
    @http.route("/my/lbc/personal-data", type="http", auth="user", methods=["GET"], readonly=False)
    def lbc_personal_data(self, partner_id=None, **kwargs):
        """The member downloads all its personal data (data.json and its files, as a ZIP). Only its own:
        another partner's archive is built for LBC operators only (on the member's request)."""
        partner = request.env.user.partner_id
        if partner_id:
            target = request.env["res.partner"].browse(int(partner_id)).exists()
            if target != partner and not request.env["res.partner"]._lbc_is_operator():
                raise request.not_found()
            partner = target
        try:
            filename, content = partner._lbc_personal_data_zip()
        except AccessError as error:
            return request.make_response(
                str(error), headers=[("Content-Type", "text/plain; charset=utf-8")], status=403
            )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", http.content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )

    # auth='public' is safe: the file is public by design (RFC 9116) and reads one configuration parameter,
    # the security contact, meant to be published; nothing else is read or written.
    @http.route(
        ["/.well-known/security.txt", "/security.txt"],
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def lbc_security_txt(self, **kwargs):
        Report = request.env["lbc.security.report"]
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        expires = request.env["ir.config_parameter"].sudo().get_param("lbc_base.security_txt_expires")
        lines = [
            f"Contact: mailto:{Report._lbc_security_contact()}",
            f"Contact: {base_url}/security/report",
            f"Expires: {expires or '2027-12-31T23:59:59.000Z'}",
            "Preferred-Languages: fr, en",
            f"Canonical: {base_url}/.well-known/security.txt",
            f"Policy: {base_url}/security/report",
        ]
        return request.make_response("\n".join(lines) + "\n", headers=[("Content-Type", "text/plain; charset=utf-8")])

    # auth='public' is safe: anyone may report a vulnerability; CSRF stays on, the input is stored as plain
    # text and the number of reports per IP address and hour is capped (lbc.security.report._lbc_submit).
    @http.route(
        "/security/report", type="http", auth="public", methods=["GET"], sitemap=False, website=True, readonly=True
    )
    def lbc_security_report_form(self, **kwargs):
        return request.render("lbc_base.security_report_page", {"sent": kwargs.get("sent"), "error": None})

    # captcha: Odoo's route mechanism (reCAPTCHA or Turnstile once LBC enters its keys; nothing before)
    @http.route(
        "/security/report",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
        captcha="lbc_security_report",
    )
    def lbc_security_report_submit(self, subject=None, description=None, email=None, **kwargs):
        ip_address = request.httprequest.remote_addr or "unknown"
        try:
            request.env["lbc.security.report"].sudo()._lbc_submit(ip_address, subject, description, email)
        except UserError as error:
            values = {"sent": False, "error": str(error), "subject": subject, "description": description}
            return request.render(
                "lbc_base.security_report_page", values, status=429 if isinstance(error, LbcRateLimitError) else 400
            )
        return request.redirect("/security/report?sent=1")

    # --- the unsubscribe link of non-transactional e-mails (digests, alerts, newsletters) ---------------------
    @http.route(
        "/lbc/unsubscribe/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        readonly=True,
    )
    def lbc_unsubscribe_form(self, partner_id, token, **kwargs):
        """Asks to confirm (a GET changes nothing: mail scanners follow links)."""
        partner = request.env["res.partner"]._lbc_unsubscribe_partner(partner_id, token)
        values = {"partner_id": partner_id, "token": token, "valid": bool(partner), "done": False}
        return request.render("lbc_base.unsubscribe_page", values, status=200 if partner else 404)

    @http.route(
        "/lbc/unsubscribe/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def lbc_unsubscribe(self, partner_id, token, **kwargs):
        try:
            request.env["res.partner"]._lbc_unsubscribe(partner_id, token)
        except UserError:
            values = {"partner_id": partner_id, "token": token, "valid": False, "done": False}
            return request.render("lbc_base.unsubscribe_page", values, status=404)
        values = {"partner_id": partner_id, "token": token, "valid": True, "done": True}
        return request.render("lbc_base.unsubscribe_page", values)
