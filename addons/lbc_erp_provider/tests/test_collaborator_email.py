from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LbcErpCommon


@tagged("post_install", "-at_install")
class TestCollaboratorEmail(LbcErpCommon):
    def test_invitation_needs_a_professional_address(self):
        admin_view = self.provider_a.with_user(self.provider_a_admin)
        Users = self.env["res.users"].with_context(active_test=False)
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            admin_view.action_lbc_invite_collaborator("Free Mail", "free.consultant@gmail.com")
        with self.assertRaisesRegex(UserError, "disposable"):
            admin_view.action_lbc_invite_collaborator("Throwaway", "throwaway@mailinator.com")
        self.assertFalse(Users.search([("login", "in", ("free.consultant@gmail.com", "throwaway@mailinator.com"))]))
        partner_id = admin_view.action_lbc_invite_collaborator("Pro", "Pro.Consultant@Provider-A.example")
        self.assertEqual(self.env["res.partner"].browse(partner_id).user_ids.login, "pro.consultant@provider-a.example")
