"""Demo data only: the social network's story, told through the members' own actions (`with_user`).

Called once by a `<function>` of this addon's demo XML (loaded with --with-demo only)."""

from odoo import api, models


class LbcConversation(models.Model):
    _inherit = "lbc.conversation"

    @api.model
    def _lbc_demo_story(self):
        ref = self.env.ref
        sophie = ref("lbc_base.user_sophie_bernard")
        thomas = ref("lbc_base.user_thomas_lefevre")
        lucas = ref("lbc_base.user_lucas_garnier")
        emma = ref("lbc_base.user_emma_girard")
        camille = ref("lbc_base.user_camille_martin")
        lea = ref("lbc_base.user_lea_dubois")
        julien = ref("lbc_base.user_julien_moreau")
        Connection = self.env["lbc.connection"]
        Conversation = self.env["lbc.conversation"]

        # connections: Thomas and Sophie, Léa and Camille, Julien and Thomas (still waiting for an answer)
        for requester, addressee, message in (
            (thomas, sophie, "Bonjour Sophie, ravi de vous retrouver sur LBC."),
            (lea, camille, "Bonjour Camille, j'ai lu votre article sur le freelancing : échangeons !"),
        ):
            connection = Connection.browse(
                Connection.with_user(requester).lbc_request_connection(addressee.partner_id.id, message)
            )
            connection.with_user(addressee).action_accept()
        Connection.with_user(julien).lbc_request_connection(
            thomas.partner_id.id, "Bonjour Thomas, nous préparons un appel d'offres Odoo."
        )

        # conversations
        for starter, other, subject, first, answer in (
            (
                thomas,
                sophie,
                "Vos besoins pour le second semestre",
                "Bonjour Sophie, Lucas sera disponible en mars : avez-vous d'autres besoins data ?",
                "Bonjour Thomas, oui : un appel d'offres arrive pour la chaîne d'essais, surveillez la place de "
                "marché.",
            ),
            (
                lucas,
                emma,
                "Relecture de code",
                "Emma, peux-tu relire ma PR sur le connecteur PostgreSQL avant vendredi ?",
                "C'est fait, deux remarques mineures, bravo !",
            ),
            (
                lea,
                camille,
                "Premiers pas en freelance",
                "Merci pour l'article ! Quelle assurance RC Pro as-tu choisie ?",
                "Je te réponds en détail ce soir, il y a quelques pièges à éviter.",
            ),
        ):
            conversation = Conversation.browse(
                Conversation.with_user(starter).lbc_start_conversation([other.partner_id.id], first, subject=subject)
            )
            conversation.with_user(other).lbc_send_message(answer)

        # groups: Camille opens a group on request, Léa asks to join; Thomas joins the public data group
        Group = self.env["lbc.social.group"]
        freelances = Group.browse(
            Group.with_user(camille).lbc_create_group(
                "Freelances de l'IT",
                "Statut, contrats, assurances : l'entraide entre indépendants.",
                privacy="request",
            )
        )
        freelances.with_user(camille).action_post(
            "Bienvenue ! Présentez-vous en une ligne et dites ce que vous cherchez."
        )
        freelances.with_user(lea).action_join()
        data = ref("lbc_social.group_data")
        data.with_user(thomas).action_join()
        promo = data.with_user(thomas).action_post(
            "Nexa Conseil recrute ! Envoyez vos CV à recrutement@nexa-conseil.example, prime de cooptation 2 000 €."
        )
        data.with_user(lucas).action_post(
            "Spark 4 : le mode ANSI est activé par défaut, pensez-y.", parent_id=ref("lbc_social.post_data_1").id
        )

        # an article by Thomas, commented by Sophie
        Article = self.env["lbc.article"]
        article = Article.with_user(thomas).create(
            {
                "name": "Sous-traitance et vigilance : ce que change la plateforme",
                "author_id": thomas.partner_id.id,
                "body": "<p>Attestations URSSAF, Kbis, liste des salariés étrangers : tout est vérifié une fois, "
                "puis tous les six mois, pour chaque mission.</p>",
                "tag_ids": [(4, ref("lbc_social.article_tag_freelance").id)],
            }
        )
        article.with_user(thomas).action_publish()
        article.with_user(sophie).action_comment("Un vrai gain de temps pour nos achats, merci.")

        # recommendations: Camille recommends Lucas (he puts it on his profile), Thomas recommends Emma (she has
        # not answered yet), Léa asks Lucas for one
        Recommendation = self.env["lbc.recommendation"]
        Recommendation.browse(
            Recommendation.with_user(camille).lbc_give_recommendation(
                lucas.partner_id.id,
                "Lucas a sauvé notre mise en production : clair, rigoureux, toujours disponible.",
                relationship="Collègue sur un projet data",
            )
        ).with_user(lucas).action_accept()
        Recommendation.with_user(thomas).lbc_give_recommendation(
            emma.partner_id.id, "Emma livre des modules Odoo propres et documentés.", relationship="Son manager"
        )
        Recommendation.with_user(lea).lbc_ask_recommendation(lucas.partner_id.id, "Un mot sur notre projet DevOps ?")

        # a content report for the moderators: Sophie reports the recruiting post as spam
        self.env["lbc.content.report"].with_user(sophie).lbc_report_content(
            "lbc.social.post", promo, "spam", "Annonce de recrutement sans rapport avec le thème du groupe."
        )
        return True
