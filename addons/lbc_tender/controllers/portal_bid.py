"""Portal pages of the bids: a provider bids on a tender, follows and withdraws its bids; the client selects or
rejects them. The bid model checks the CVs, the rights and the workflow."""

import base64
from datetime import date

from odoo import http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from ..models.lbc_tender_bid import CV_MAX_FILES as BID_CV_MAX_FILES
from ..models.lbc_tender_bid import CV_MAX_SIZE as BID_CV_MAX_SIZE
from .portal import MESSAGES, LbcTenderPortal

# the bid model checks the CVs (count, size, content); the page only bounds what it reads of an upload
CV_MAX_SIZE = BID_CV_MAX_SIZE
CV_MAX_FILES = BID_CV_MAX_FILES


class LbcTenderBidPortal(LbcTenderPortal):
    def _lbc_bid_form_values(self, tender, form=None, error=None):
        return self._lbc_values(
            "lbc_tender_search",
            tender=tender,
            consultants=self._lbc_company().lbc_member_ids,
            form=form
            or {
                "consultant_id": request.env.user.partner_id.id,
                "available_from": tender.date_start.isoformat(),
            },
            error=error,
            cv_max_mb=CV_MAX_SIZE // (1024 * 1024),
        )

    def _lbc_read_cvs(self):
        """[(name, base64)] of the uploaded CVs, read up to the size cap (the bid's `action_attach_cv` checks
        the count, the size and the content)."""
        files = [f for f in request.httprequest.files.getlist("cv_files") if f and f.filename]
        if len(files) > CV_MAX_FILES:
            raise ValidationError(request.env._("Attach at most %(count)s files.", count=CV_MAX_FILES))
        result = []
        for upload in files:
            content = upload.read(CV_MAX_SIZE + 1)
            if len(content) > CV_MAX_SIZE:  # not read further: the model would refuse it anyway
                raise ValidationError(
                    request.env._(
                        "%(file)s is larger than %(size)s MB.",
                        file=upload.filename,
                        size=max(CV_MAX_SIZE // (1024 * 1024), 1),
                    )
                )
            result.append((upload.filename, base64.b64encode(content)))
        return result

    def _lbc_bid_create(self, tender, form):
        """The bid of the member's company on `tender` as typed in `form`, with its CVs, submitted."""
        company = self._lbc_company()
        if form["consultant_id"] not in company.lbc_member_ids.ids:
            raise ValidationError(request.env._("Choose the consultant among your company's members."))
        try:
            rate = float(form["daily_rate"])
        except ValueError as e:
            raise ValidationError(request.env._("The daily rate must be a number.")) from e
        try:
            available = date.fromisoformat(form["available_from"])
        except ValueError as e:
            raise ValidationError(request.env._("Give the date from which the consultant is available.")) from e
        if not form["labour_law_ack"]:
            raise ValidationError(
                request.env._(
                    "Tick the labour-law acknowledgement: your company keeps the authority over its consultant "
                    "(no illicit lending of labour, no 'marchandage')."
                )
            )
        cvs = self._lbc_read_cvs()
        bid = request.env["lbc.tender.bid"].create(
            {
                "tender_id": tender.id,
                "provider_id": company.id,
                "consultant_id": form["consultant_id"],
                "daily_rate": rate,
                "available_from": available,
                "message": form["message"],
                "labour_law_ack": form["labour_law_ack"],
            }
        )
        for name, datas in cvs:
            bid.action_attach_cv(name, datas)
        bid.action_submit()
        return bid

    @http.route(
        "/my/tenders/<int:tender_id>/bid",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        readonly=lbc_readonly_get,
    )
    def portal_tender_bid(self, tender_id, **post):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        company = self._lbc_company()
        if not company.lbc_is_provider or tender.client_id == company:
            return request.redirect(f"/my/tenders/{tender.id}")
        if request.httprequest.method == "GET":
            return request.render("lbc_tender.portal_lbc_bid_form", self._lbc_bid_form_values(tender))
        form = {
            "consultant_id": int(post["consultant_id"]) if (post.get("consultant_id") or "").isdigit() else False,
            "daily_rate": post.get("daily_rate") or "",
            "available_from": post.get("available_from") or "",
            "message": post.get("message") or "",
            "labour_law_ack": bool(post.get("labour_law_ack")),
        }
        ok, result = self._lbc_call(self._lbc_bid_create, tender, form)
        if not ok:
            return request.render("lbc_tender.portal_lbc_bid_form", self._lbc_bid_form_values(tender, form, result))
        return request.redirect(f"/my/bids/{result.id}?msg=submitted")

    @http.route(
        ["/my/bids", "/my/bids/page/<int:page>"], type="http", auth="user", website=True, readonly=lbc_readonly_get
    )
    def portal_my_bids(self, page=1, **kw):
        company = self._lbc_company()
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "rate": {"label": request.env._("Daily Rate"), "order": "daily_rate asc, id desc"},
            "tender": {"label": request.env._("Tender"), "order": "tender_id, id desc"},
        }
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "live": {
                "label": request.env._("Live"),
                "domain": [("state", "in", ("draft", "submitted", "selected", "approved"))],
            },
            "won": {"label": request.env._("Won"), "domain": [("state", "=", "contracted")]},
            "closed": {
                "label": request.env._("Rejected or Withdrawn"),
                "domain": [("state", "in", ("rejected", "withdrawn"))],
            },
        }
        inputs = {
            "tender": {
                "label": request.env._("Search in Tender"),
                "domain": lambda s: [("tender_id.name", "ilike", s)],
            },
        }
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_tender.portal_my_lbc_bids",
            "lbc.tender.bid",
            "/my/bids",
            [("provider_id", "=", company.id)],
            kw,
            "bids",
            "lbc_bid",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
        )

    def _lbc_bid_page_values(self, bid, error=None, **kw):
        company = self._lbc_company()
        values = self._get_page_view_values(
            bid, None, self._lbc_values("lbc_bid", kw, MESSAGES), "my_bid_history", False, **kw
        )
        values.update(
            {
                "bid": bid,
                "is_provider": bid.provider_id == company,
                "is_client": bid.client_id == company,
                "attachments": self._lbc_bid_attachments(bid),
                "error": error,
            }
        )
        return values

    def _lbc_bid_attachments(self, bid):
        """[(name, download url)] of the bid's CVs. `bid` was checked readable by the member
        (`_lbc_record`); portal members have no ACL on ir.attachment, hence the sudo and the access tokens."""
        bid.check_access("read")
        # the token is made with the attachment (action_attach_cv): the page, read on the replica, writes none
        return [
            (att.name, f"/web/content/{att.id}?access_token={token}&download=true")
            for att in bid.sudo().attachment_ids
            for token in [att.access_token or att.generate_access_token()[0]]
        ]

    @http.route("/my/bids/<int:bid_id>", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_bid(self, bid_id, **kw):
        try:
            bid = self._lbc_record("lbc.tender.bid", bid_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_tender.portal_my_lbc_bid", self._lbc_bid_page_values(bid, **kw))

    def _lbc_bid_action(self, bid_id, action, msg, back_to_tender=False):
        """An action on a bid, from the bid's page or (the client's choices) from its tender's page."""
        if back_to_tender:
            return self._lbc_act(
                "lbc.tender.bid",
                bid_id,
                action,
                lambda bid, error: self._lbc_tender_refused(request.env["lbc.tender"].browse(bid.tender_id.id), error),
                lambda bid: f"/my/tenders/{bid.tender_id.id}?msg={msg}",
            )
        return self._lbc_act(
            "lbc.tender.bid",
            bid_id,
            action,
            lambda bid, error: request.render(
                "lbc_tender.portal_my_lbc_bid", self._lbc_bid_page_values(bid, error=error)
            ),
            lambda bid: f"/my/bids/{bid.id}?msg={msg}",
        )

    @http.route("/my/bids/<int:bid_id>/withdraw", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_withdraw(self, bid_id, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_withdraw(), "withdrawn")

    @http.route("/my/bids/<int:bid_id>/select", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_select(self, bid_id, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_select(), "selected", back_to_tender=True)

    @http.route("/my/bids/<int:bid_id>/reject", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_reject(self, bid_id, reason=None, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_reject(reason=reason), "rejected", back_to_tender=True)
