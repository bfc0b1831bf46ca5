from odoo import Command, fields
from odoo.addons.lbc_tender.tests.common import PDF, LbcTenderCommon


class TestPrivacyErasure(LbcTenderCommon):
    """Anonymisation finds every record of the person with Odoo's privacy lookup, erases each by the rule, logs
    it in privacy.log, is harmless when run twice, and leaves a namesake of another company untouched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = cls.provider_a_consultant
        cls.person = cls.consultant.partner_id
        cls.person.phone = "+33 6 98 76 54 32"
        cls.old_name, cls.old_email = cls.person.name, cls.person.email
        # a namesake: another person of the same name, in another company, with its own address
        cls.namesake_user = cls._create_member(cls.provider_b, "namesake_consultant", "consultant")
        cls.namesake = cls.namesake_user.partner_id
        cls.namesake.write({"name": cls.old_name, "email": "someone.else@example.org"})

    def _lookup(self, name, email):
        wizard = self.env["privacy.lookup.wizard"].create({"name": name, "email": email})
        wizard.action_lookup()
        found = {(line.res_model, line.res_id) for line in wizard.line_ids}
        wizard.line_ids.unlink()
        wizard.unlink()
        return found

    def _records_of_the_person(self):
        """Records across models that hold the member (the returned dict names each)."""
        self._make_compliant(self.provider_a)
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin, consultant=self.consultant)
        bid.message = f"{self.old_name} knows Odoo"
        namesake_bid = self._bid(tender, self.provider_b_admin, consultant=self.namesake_user)
        namesake_bid.message = f"{self.old_name} knows Python"
        profile = self.env["lbc.profile"].browse(self.env["lbc.profile"].with_user(self.consultant).lbc_my_profile())
        profile.with_user(self.consultant).lbc_update_profile(
            {"headline": f"{self.old_name}, Odoo expert", "summary": f"Write to {self.old_email}"}
        )
        message = self.provider_a.message_post(
            body=f"<p>Hello, {self.old_name} here, {self.person.phone}</p>",
            author_id=self.person.id,
            email_from=f'"{self.old_name}" <{self.old_email}>',
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        namesake_message = self.provider_b.message_post(
            body=f"<p>Hello, {self.old_name} of Provider B</p>", author_id=self.namesake.id, message_type="comment"
        )
        self.provider_a.message_subscribe(partner_ids=self.person.ids)
        tender.message_subscribe(partner_ids=self.person.ids)
        followers = self.env["mail.followers"].search([("partner_id", "=", self.person.id)])
        cv = self.env["ir.attachment"].create(
            {"name": "cv.pdf", "raw": PDF, "res_model": "res.partner", "res_id": self.person.id}
        )
        # a contact made from one of its e-mails (same address, no user): the same person
        duplicate = self.env["res.partner"].create({"name": "J. Consultant", "email": self.old_email.upper()})
        activity = self.person.activity_schedule(
            "mail.mail_activity_data_todo", summary=f"Call {self.old_name}", user_id=self.operator.id
        )
        documents = self.env["lbc.compliance.document"].search([("partner_id", "=", self.provider_a.id)])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.person.id,
                "invoice_line_ids": [Command.create({"name": "Consulting", "quantity": 1, "price_unit": 100})],
            }
        )
        invoice.action_post()
        return {
            "bid": bid,
            "namesake_bid": namesake_bid,
            "profile": profile,
            "message": message,
            "namesake_message": namesake_message,
            "followers": followers,
            "cv": cv,
            "activity": activity,
            "duplicate": duplicate,
            "documents": documents,
            "invoice": invoice,
        }

    def test_anonymisation_erases_every_record_of_the_person_and_logs_each(self):
        records = self._records_of_the_person()
        before = self._lookup(self.old_name, self.old_email)
        for found in (
            ("res.partner", self.person.id),
            ("res.partner", records["duplicate"].id),
            ("res.partner", self.namesake.id),
            ("res.users", self.consultant.id),
            ("mail.message", records["message"].id),
            ("lbc.tender.bid", records["bid"].id),
            ("account.move", records["invoice"].id),
        ):
            self.assertIn(found, before, f"privacy_lookup finds {found} before")
        logs_before = self.env["privacy.log"].search([])

        self.person.with_user(self.operator).action_lbc_anonymise()

        # nothing of the person is found any more; what is left is the namesake's
        after = self._lookup(self.old_name, self.old_email)
        self.assertIn(("res.partner", self.namesake.id), after)
        for model, res_id in after:
            record = self.env[model].with_context(active_test=False).browse(res_id)
            owner = {
                "res.partner": lambda r: r,
                "res.users": lambda r: r.partner_id,
                "mail.message": lambda r: r.author_id,
                "lbc.tender.bid": lambda r: r.consultant_id,
            }.get(model, lambda r: self.namesake)(record)
            self.assertEqual(owner, self.namesake, f"{model} #{res_id} found after the erasure is the namesake's")
        self.assertFalse(
            self._lookup("Nobody Of That Name", self.old_email), "nothing holds the member's e-mail any more"
        )
        # each record by the rule
        self.assertEqual(self.person.lbc_account_state, "anonymised")
        self.assertNotIn(self.old_name, self.person.name)
        self.assertFalse(self.person.email or self.person.phone)
        self.assertFalse(records["duplicate"].active)
        self.assertFalse(records["duplicate"].email)
        self.assertNotIn("Consultant", records["duplicate"].name)
        bid = records["bid"]
        self.assertEqual(bid.consultant_id, self.person, "the bid stays, pointing to the anonymised contact")
        self.assertNotIn(self.old_name, str(bid.message or ""))
        self.assertFalse(records["profile"].headline or records["profile"].summary)
        self.assertNotIn(self.old_name, str(records["message"].body))
        self.assertNotIn(self.person.phone or "+33 6 98", str(records["message"].body))
        self.assertFalse(records["message"].email_from)
        self.assertEqual(records["message"].author_id, self.person)
        self.assertFalse(records["followers"].exists(), "the member follows nothing any more")
        self.assertFalse(records["cv"].exists(), "the files of its contact are deleted")
        self.assertFalse(records["activity"].exists(), "and the activities about it")
        self.assertEqual(records["documents"].exists(), records["documents"], "the company's vigilance files stay")
        self.assertTrue(records["documents"])
        invoice = records["invoice"]
        self.assertEqual(invoice.state, "posted", "the invoice is kept as the law requires")
        self.assertEqual(invoice.commercial_partner_id, self.provider_a, "it names the company")
        self.assertEqual(invoice.partner_id, self.person, "and points to the anonymised contact")
        self.assertFalse(
            self.env["privacy.lookup.wizard"].search([("email", "ilike", self.old_email)]),
            "the erasure's lookups, which hold the name and e-mail in clear, are gone",
        )
        # the namesake of another company is untouched
        self.assertEqual(self.namesake.name, self.old_name)
        self.assertEqual(self.namesake.email, "someone.else@example.org")
        self.assertTrue(self.namesake.active and self.namesake_user.active)
        self.assertEqual(self.namesake.lbc_account_state, "active")
        self.assertIn(self.old_name, str(records["namesake_message"].body))
        self.assertEqual(records["namesake_bid"].message, f"{self.old_name} knows Python")

        # the log lists each erasure, by the operator, with the name and e-mail masked
        log = self.env["privacy.log"].search([]) - logs_before
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.operator)
        self.assertNotIn(self.old_email, log.anonymized_email)
        self.assertNotEqual(log.anonymized_name, self.old_name)
        details = log.execution_details
        for expected in (
            f"#{self.person.id}, the member",
            f"#{records['duplicate'].id}, a contact with the member's e-mail",
            f"#{self.consultant.id}: login",
            f"#{records['message'].id}: the sender's address",
            f"#{bid.id}: ",
            f"#{records['cv'].id}",
            f"#{records['invoice'].id}: accounting document",
            f"#{self.namesake.id}: another person",
        ):
            self.assertIn(expected, details)
        for follower in records["followers"]:
            self.assertIn(f"Deleted Document Followers #{follower.id}", details)
        self.assertIn(
            f"Anonymised Bid on a Call for Tenders #{bid.id}: the person's name, e-mail or phone removed from Message",
            details,
        )
        self.assertEqual(bid.message, f"{self.person.name} knows Odoo", "the rest of the bid's text stays")
        self.assertIn(f"Deleted Attachment #{records['cv'].id}", details)
        self.assertIn(f"Deleted Activity #{records['activity'].id}", details)
        self.assertIn("nothing found", log.additional_note)
        self.assertIn("L123-22", log.additional_note)

        # run twice: harmless, nothing more logged, nothing more changed
        name_after = self.person.name
        self.person.with_user(self.operator).action_lbc_anonymise()
        self.person.sudo()._lbc_anonymise()
        self.assertEqual(self.person.name, name_after)
        self.assertEqual(self.env["privacy.log"].search([]) - logs_before, log)

    def test_anonymisation_replaces_only_the_person_in_business_texts(self):
        """In a record linked to the person, only its full name, e-mail and phone go (replaced in the text); a word
        that merely contains the name, a first name alone or a longer address are another company's text."""
        self.person.sudo().write({"name": "Ann Éva", "email": "ann.eva@example.com"})
        self._make_compliant(self.provider_a)
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin, consultant=self.consultant)
        bid.write(
            {
                "message": "Evaluation planning by ANN EVA, ann.eva@example.com, +33 6 98 76 54 32. "
                "Reviewed by Ann Evans (jo.ann.eva@example.com) and Eva.",
                "rejection_reason": "Ann's evaluation planning",
            }
        )
        self.person.with_user(self.operator).action_lbc_anonymise()
        anonymised = self.person.name
        self.assertEqual(anonymised, f"Anonymised member {self.person.id}")
        self.assertEqual(
            bid.message,
            f"Evaluation planning by {anonymised}, ***, ***. Reviewed by Ann Evans (jo.ann.eva@example.com) and Eva.",
        )
        self.assertEqual(bid.rejection_reason, "Ann's evaluation planning", "no whole name in it: untouched")
        self.assertEqual(bid.consultant_id, self.person)

    def test_anonymisation_by_the_lifecycle_cron_logs_as_its_user(self):
        self.person.with_user(self.consultant).action_lbc_request_deletion()
        now = fields.Datetime.now()
        Partner = self.env["res.partner"]
        Partner._lbc_process_deletion_requests()
        self.assertEqual(self.person.lbc_account_state, "deactivated")
        self.person.sudo()._lbc_workflow_write({"lbc_deactivation_date": now.replace(year=now.year - 1)})
        logs_before = self.env["privacy.log"].search([])
        Partner._lbc_process_anonymisation()
        self.assertEqual(self.person.lbc_account_state, "anonymised")
        log = self.env["privacy.log"].search([]) - logs_before
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.env.user, "the cron's user")
        self.assertIn("Deletion requested by the member", log.additional_note)
        self.assertFalse(
            self._lookup(self.old_name, self.old_email)
            - {("res.partner", self.namesake.id)}
            - {("res.users", self.namesake_user.id)}
        )
        Partner._lbc_process_anonymisation()
        self.assertEqual(self.env["privacy.log"].search([]) - logs_before, log, "run twice: one log")
