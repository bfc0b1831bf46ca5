"""The portal controller every LBC app extends, and Odoo's own portal pages under LBC's rules.

Each LBC addon ships the portal pages of its own models in a controller that subclasses `LbcPortal` (or the
controller of the addon below it when it extends that addon's pages, as Odoo core's `hr_timesheet` extends
`project`'s). The helpers here are the only "who am I", "call a business method" and "render a list" of the
suite's pages:

- `_lbc_me()`: the member and its company, as records with the member's own rights (`_lbc_is_admin()`: whether
  it administers the company);
- `_lbc_call(method, *args)`: runs a model action in a savepoint and turns its refusal into a message;
- `_lbc_record(model, id)`: a detail page's record, read as the member after the portal's access gate;
- `_lbc_values(page_name, kw, messages)`: the layout values of a page, with its success message;
- `_lbc_render_list(...)`: a list in the `portal.portal_searchbar` idiom (pager, sort, filters, group-by,
  search);
- `_lbc_gate_missing()` / `_lbc_gate_render()`: what keeps the member from a gated page, and that page.

Rules live in the models: a page parses its input, calls the model method an RPC client calls, and renders.
"""

from collections import OrderedDict

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

# the refusals a member's action may meet: shown on the page, nothing half-done kept
BUSINESS_ERRORS = (UserError, ValidationError, AccessError)


def error_text(error):
    return error.args[0] if error.args else str(error)


class LbcPortal(CustomerPortal):
    # ------------------------------------------------------------------ who am I
    def _lbc_me(self):
        """(member partner, its company or an empty recordset), both with the member's own rights."""
        return request.env["res.users"]._lbc_me()

    def _lbc_member(self):
        """The member alone, with its own rights: no query (`_lbc_me` also looks up its company)."""
        return request.env["res.users"]._lbc_member()

    def _lbc_company(self):
        return self._lbc_me()[1]

    def _lbc_is_admin(self, company=None):
        """Whether the member administers `company` (default: its own company)."""
        company = company or self._lbc_company()
        return bool(company) and request.env.user._lbc_has_role("admin", company)

    def _lbc_user(self):
        # `env.user` is a sudo record: browse the user again so that it acts with its own rights
        return request.env["res.users"].browse(request.env.uid)

    # ------------------------------------------------------------------ actions
    def _lbc_call(self, method, *args, **kwargs):
        """Run a business method in a savepoint: on refusal nothing half-done stays.

        Returns (True, result) or (False, the refusal's message for the page)."""
        try:
            with request.env.cr.savepoint():
                return True, method(*args, **kwargs)
        except BUSINESS_ERRORS as error:
            return False, error_text(error)

    def _lbc_record(self, model, record_id):
        """A detail page's record read as the member, after the portal's access gate.

        Raises AccessError / MissingError (the caller answers 404); the page then reads the record as the
        member, never as the sudo copy the gate returns."""
        self._document_check_access(model, int(record_id))
        return request.env[model].browse(int(record_id))

    # ------------------------------------------------------------------ rendering
    def _lbc_message(self, kw, messages):
        code = (kw or {}).get("msg")
        return str(messages[code]) if messages and code in messages else None

    def _lbc_values(self, page_name, kw=None, messages=None, **extra):
        """The layout values of an LBC page: its name, the success message named by `?msg=`, no error."""
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": page_name,
                "success": self._lbc_message(kw, messages),
                "lbc_message": self._lbc_message(kw, messages),
                "error": None,
                "form": {},
            }
        )
        values.update(extra)
        return values

    def _lbc_render_list(
        self,
        template,
        model,
        url,
        domain,
        kw,
        key,
        page_name,
        sortings,
        filters=None,
        inputs=None,
        groupbys=None,
        messages=None,
        extra=None,
    ):
        """A list page in the `portal.portal_searchbar` idiom, read with the member's rights.

        - `sortings`: {key: {"label", "order"}}, the first is the default;
        - `filters`: {key: {"label", "domain"}}, the first is the default;
        - `inputs`: {key: {"label", "domain": callable(search) -> domain}};
        - `groupbys`: {key: {"label", "field"}} ("none" without field for no grouping); the page gets
          `grouped` = [(group value, records)] in the order of the list.
        The records land under `key`; the pager keeps sort, filter, group-by and search.
        """
        filters = filters or {"all": {"label": request.env._("All"), "domain": []}}
        inputs = inputs or {}
        groupbys = groupbys or {}
        page = max(int(kw.get("page") or 1), 1)
        sortby = kw.get("sortby") if kw.get("sortby") in sortings else next(iter(sortings))
        filterby = kw.get("filterby") if kw.get("filterby") in filters else next(iter(filters))
        groupby = kw.get("groupby") if kw.get("groupby") in groupbys else next(iter(groupbys), None)
        search = (kw.get("search") or "").strip()
        search_in = kw.get("search_in") if kw.get("search_in") in inputs else next(iter(inputs), None)
        domain = list(domain) + list(filters[filterby].get("domain", []))
        if search and search_in:
            domain += inputs[search_in]["domain"](search)
        group_field = groupbys.get(groupby, {}).get("field") if groupby else None
        order = sortings[sortby]["order"]
        if group_field:
            order = f"{group_field}, {order}"
        Model = request.env[model]
        url_args = {"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in}
        if groupby:
            url_args["groupby"] = groupby
        pager = portal_pager(
            url=url, url_args=url_args, total=Model.search_count(domain), page=page, step=self._items_per_page
        )
        records = Model.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"])
        request.session[f"my_{key}_history"] = records.ids[:100]
        grouped = []
        if group_field:
            for record in records:
                value = record[group_field]
                if not grouped or grouped[-1][0] != value:
                    grouped.append((value, record.browse()))
                grouped[-1] = (value, grouped[-1][1] | record)
        values = self._lbc_values(page_name, kw, messages)
        values.update(
            {
                key: records,
                "grouped": grouped,
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(filters),
                "filterby": filterby,
                "searchbar_groupby": groupbys,
                "groupby": groupby,
                "searchbar_inputs": {k: {"input": k, "label": v["label"]} for k, v in inputs.items()},
                "search_in": search_in,
                "search": search,
                **(extra or {}),
            }
        )
        return request.render(template, values)

    # ------------------------------------------------------------------ gate
    def _lbc_gate_missing(self, needs=("company", "validated", "agreements", "labour_law")):
        """What keeps the member from a gated page (the model's answer, the same over RPC); a gated page
        renders `_lbc_gate_render(missing)` when it is not empty."""
        return request.env["res.users"].lbc_access_missing(needs=needs)

    def _lbc_gate_render(self, missing, title=None):
        values = self._prepare_portal_layout_values()
        values.update({"lbc_missing": missing, "lbc_gate_title": title, "page_name": "lbc_gate"})
        return request.render("lbc_base.portal_lbc_gate", values, status=403)

    # ------------------------------------------------------------------ Odoo's My account form
    def _validate_address_values(self, address_values, partner_sudo, address_type, *args, **kwargs):
        """Odoo's My account / address form writes the member's partner as superuser: LBC's rules apply first.

        - a member's e-mail address is its login, checked at signup: not changed here (res.users refuses it
          over RPC too);
        - the name of a member company is changed by its administrators from My company (and, once the company
          is validated, by LBC): Odoo's `company_name` field would rename it for any member.
        """
        invalid_fields, missing_fields, error_messages = super()._validate_address_values(
            address_values, partner_sudo, address_type, *args, **kwargs
        )
        user = request.env.user
        if partner_sudo and user.share and partner_sudo == user.partner_id:
            email = address_values.get("email")
            if "email" in address_values and (email or False) != (partner_sudo.email or False):
                invalid_fields.add("email")
                error_messages.append(
                    request.env._(
                        "Change your e-mail address from My LBC account: the new address is confirmed by a link "
                        "sent to it before it takes effect."
                    )
                )
        company = user.partner_id.commercial_partner_id
        if company.lbc_state and "company_name" in address_values:
            if (address_values["company_name"] or False) not in (False, company.name):
                invalid_fields.add("company_name")
                error_messages.append(
                    request.env._("The name of %(company)s is changed from My company.", company=company.name)
                )
            else:
                address_values.pop("company_name")
        return invalid_fields, missing_fields, error_messages
