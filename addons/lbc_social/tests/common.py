from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.tests import new_test_user


class LbcSocialCommon(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.moderator = new_test_user(cls.env, "lbc_moderator_s", groups="lbc_base.group_moderator", name="Mod")
        # a member without company: the social network is for every member
        cls.freelance = new_test_user(
            cls.env, "solo_member", groups="base.group_portal", name="Solo Member", email="solo@example.com"
        )
        cls.Profile = cls.env["lbc.profile"]
        cls.Connection = cls.env["lbc.connection"]
        cls.Conversation = cls.env["lbc.conversation"]
        cls.Group = cls.env["lbc.social.group"]
        cls.consultant_profile = cls.Profile._lbc_get_or_create(cls.provider_a_consultant.partner_id)
        cls.consultant_profile.write(
            {
                "headline": "Data engineer",
                "summary": "Spark and Python",
                "mobility_cities": "Lyon",
                "visibility_card": "members",
                "visibility_summary": "members",
                "visibility_mobility": "connections",
                "visibility_education": "private",
            }
        )

    @classmethod
    def _connect(cls, user_a, user_b):
        connection_id = cls.Connection.with_user(user_a).lbc_request_connection(user_b.partner_id.id)
        connection = cls.Connection.browse(connection_id)
        connection.with_user(user_b).action_accept()
        return connection
