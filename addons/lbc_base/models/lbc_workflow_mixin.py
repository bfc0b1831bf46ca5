from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import clean_context

# context keys a caller may set that make Odoo (or this suite) write on its behalf: never honoured
# from outside, dropped before the mixin's own sudo writes and creates
INTERNAL_CONTEXT_PREFIXES = ("default_", "lbc_")


def lbc_clean_context(context):
    """The context without `default_*` keys nor the suite's own `lbc_*` keys."""
    return {k: v for k, v in clean_context(context).items() if not k.startswith(INTERNAL_CONTEXT_PREFIXES)}


def lbc_with_context(records, context):
    """`records` on exactly `context` (replaced, not merged as `with_context(**kw)` would)."""
    return records.with_env(records.env(context=context))


def lbc_clean(records):
    """`records` on their context cleaned of `default_*` and `lbc_*` keys."""
    return lbc_with_context(records, lbc_clean_context(records.env.context))


class LbcWorkflowMixin(models.AbstractModel):
    """Workflow guard of every stateful LBC model.

    A model lists the fields that only its own action methods write (each class of the model's
    inheritance chain lists its own: an extension or another mixin adds its fields, the lists add up):

    - ``_lbc_workflow_fields``: the state and the workflow fields (validations and who made them,
      approvals, sealing, verification...). Never given by a caller, neither in ``create`` (nor
      through a ``default_<field>`` context key) nor in ``write``;
    - ``_lbc_parent_fields``: links to a parent (report, tender, profile, member company...). Given at
      creation, never changed afterwards: a child never moves to another parent;
    - ``_lbc_workflow_locked_fields()``: per record, the further fields its current state freezes
      (rates and amounts after submission, the deadline once published...).

    The action methods check the actor, then write through ``_lbc_workflow_write`` /
    ``_lbc_workflow_create``, which act as superuser on a cleaned context. The guard decides on
    ``self.env.su`` only, which no RPC caller can set: no context key lets a field through.
    """

    _name = "lbc.workflow.mixin"
    _description = "LBC Workflow Guard"

    _lbc_workflow_fields = ()
    _lbc_parent_fields = ()

    # --- what is guarded ------------------------------------------------------
    @api.model
    def _lbc_declared_fields(self, attribute):
        """The union of `attribute` over the model's classes (every extension declares its own)."""
        fnames = set()
        for cls in type(self).__mro__:
            fnames.update(cls.__dict__.get(attribute, ()))
        return fnames

    @api.model
    def _lbc_guarded_workflow_fields(self):
        return self._lbc_declared_fields("_lbc_workflow_fields")

    @api.model
    def _lbc_guarded_parent_fields(self):
        return self._lbc_declared_fields("_lbc_parent_fields")

    def _lbc_workflow_locked_fields(self):
        """Fields the current state of the records in self freezes, besides the workflow and parent
        fields (override per model; called on the records being written)."""
        return set()

    def _lbc_workflow_field_label(self, fname):
        field = self._fields.get(fname)
        return field._description_string(self.env) if field else fname

    def _lbc_workflow_refuse(self, fnames, reason):
        labels = ", ".join(sorted(self._lbc_workflow_field_label(f) for f in fnames))
        raise AccessError(
            self.env._(
                "%(model)s: %(fields)s %(reason)s",
                model=self._description,
                fields=labels,
                reason=reason,
            )
        )

    def _lbc_workflow_check_create(self, vals_list):
        guarded = self._lbc_guarded_workflow_fields()
        for vals in vals_list:
            forbidden = guarded & set(vals)
            if forbidden:
                self._lbc_workflow_refuse(forbidden, self.env._("can be changed only through its actions."))

    def _lbc_workflow_check_write(self, vals):
        fnames = set(vals)
        forbidden = fnames & self._lbc_guarded_workflow_fields()
        if forbidden:
            self._lbc_workflow_refuse(forbidden, self.env._("can be changed only through its actions."))
        moved = fnames & self._lbc_guarded_parent_fields()
        if moved:
            # writing the same parent back is harmless (forms send it); any other value is a move
            for fname in moved:
                field = self._fields[fname]
                new = vals[fname]
                for record in self:
                    current = record[fname]
                    same = (current.id or False) == (new or False) if field.type == "many2one" else current == new
                    if not same:
                        self._lbc_workflow_refuse({fname}, self.env._("cannot be changed once the record exists."))
        if self:
            frozen = fnames & self._lbc_workflow_locked_fields()
            if frozen:
                self._lbc_workflow_refuse(frozen, self.env._("can no longer be changed at this stage."))

    # --- CRUD -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        self._lbc_workflow_check_create(vals_list)
        # default_<field> keys are applied after this override: drop those of guarded fields, so that a
        # record is always created in its first state
        guarded = {f"default_{f}" for f in self._lbc_guarded_workflow_fields()}
        context = {k: v for k, v in self.env.context.items() if k not in guarded}
        return super(LbcWorkflowMixin, lbc_with_context(self, context)).create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._lbc_workflow_check_write(vals)
        return super().write(vals)

    # --- the actions' own writes -----------------------------------------------------------
    def _lbc_workflow_write(self, vals):
        """Write workflow fields: only for action methods that have checked the actor."""
        return lbc_clean(self.sudo()).write(vals)

    @api.model
    def _lbc_workflow_create(self, vals_list):
        """Create records (in sudo, on a cleaned context): for action methods that have checked the actor."""
        return lbc_clean(self.sudo()).create(vals_list)
