"""The demo tells the story: every login of the README finds its lists filled at first login.

Runs on the demo database only (built by `./lbc run`, or at the end of tests/run.sh), never in the normal suite
(tag `-standard`): `odoo-bin -d <demo db> --test-enable --test-tags lbc_demo`."""

import re

from odoo.tests import HttpCase, tagged

PASSWORD = "lbc-demo"

# what each portal login finds: page -> a link to one of the records the page lists
ROW = {
    "/my/tenders/search": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/tenders/\d+',
    "/my/tenders": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/tenders/\d+',
    "/my/bids": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/bids/\d+',
    "/my/missions": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/missions/\d+',
    "/my/reports?filterby=all": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/reports/\d+',
    "/my/invoices": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/invoices/\d+',
    "/my/compliance": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/compliance/\d+',
    "/my/conversations": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/conversations/\d+',
    "/my/groups": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/groups/\d+',
    "/my/agreements": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/agreements/\d+',
    "/my/referencing": r'href="(?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/referencing/\d+',
}
PORTAL = {
    "sophie.bernard@aero-durand.example": [
        "/my/tenders",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/conversations",
        "/my/groups",
        "/my/referencing",
        "/my/agreements",
    ],
    "marc.petit@aero-durand.example": ["/my/tenders", "/my/missions", "/my/invoices", "/my/agreements"],
    "helene.roux@aero-durand.example": ["/my/tenders", "/my/missions", "/my/invoices", "/my/agreements"],
    "julien.moreau@banque-hexagone.example": [
        "/my/tenders",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/agreements",
    ],
    "claire.fournier@energies-atlantique.example": ["/my/agreements"],
    "thomas.lefevre@nexa-conseil.example": [
        "/my/tenders/search",
        "/my/bids",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/compliance",
        "/my/conversations",
    ],
    "nadia.benali@nexa-conseil.example": ["/my/tenders/search", "/my/bids", "/my/missions", "/my/reports?filterby=all"],
    "lucas.garnier@nexa-conseil.example": [
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/conversations",
        "/my/groups",
    ],
    "emma.girard@nexa-conseil.example": ["/my/missions", "/my/reports?filterby=all", "/my/conversations"],
    "pierre.lambert@ingenia-systemes.example": [
        "/my/tenders/search",
        "/my/bids",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/compliance",
    ],
    "antoine.mercier@dataforge.example": ["/my/compliance", "/my/agreements"],
    "camille@cmartin-conseil.example": [
        "/my/bids",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/compliance",
        "/my/conversations",
        "/my/groups",
    ],
    "jan.peeters@brussels-cloud.example": [
        "/my/tenders/search",
        "/my/bids",
        "/my/missions",
        "/my/reports?filterby=all",
        "/my/invoices",
        "/my/compliance",
    ],
    "lea.dubois@mailbox.example": ["/my/conversations", "/my/groups", "/my/agreements"],
}
# what each LBC staff login finds waiting in the back office: model -> domain that must match something
STAFF = {
    "operator@lbc.example": {
        "res.partner": [("is_company", "=", True), ("lbc_state", "=", "submitted")],
        "lbc.company.role": [("role", "=", "signatory"), ("verification_state", "=", "to_verify")],
        "lbc.tender.bid": [("state", "=", "selected")],
        "lbc.mission": [("state", "=", "active")],
        "lbc.activity.report": [("state", "=", "validated")],
        "account.move": [("move_type", "=", "out_refund")],
    },
    "compliance@lbc.example": {
        "lbc.compliance.document": [("state", "=", "submitted")],
        "lbc.compliance.check": [("state", "=", "failed")],
    },
    "moderator@lbc.example": {"lbc.content.report": [("state", "=", "open")]},
    "manager@lbc.example": {
        "account.move": [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
        "sale.subscription": [],
        "lbc.invoice.export": [("state", "=", "done")],
    },
}


@tagged("lbc_demo", "-standard", "post_install", "-at_install")
class TestDemoStory(HttpCase):
    def test_portal_logins_find_their_lists(self):
        missing = []
        for login, pages in PORTAL.items():
            self.authenticate(login, PASSWORD)
            response = self.url_open("/my")
            if response.status_code != 200:
                missing.append(f"{login}: /my answered {response.status_code}")
            for page in pages:
                response = self.url_open(page)
                if response.status_code != 200 or not re.search(ROW[page], response.text):
                    missing.append(f"{login}: {page} lists nothing (HTTP {response.status_code})")
            self.logout()
        self.assertFalse(missing, "\n".join(missing))

    def test_staff_logins_find_work_waiting(self):
        missing = []
        for login, expected in STAFF.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, login)
            self.authenticate(login, PASSWORD)
            response = self.url_open("/odoo")
            if response.status_code != 200:
                missing.append(f"{login}: the back office answered {response.status_code}")
            self.logout()
            for model, domain in expected.items():
                if not self.env[model].with_user(user).search_count(domain, limit=1):
                    missing.append(f"{login}: nothing in {model} {domain}")
        self.assertFalse(missing, "\n".join(missing))

    def test_staff_dashboard_tiles_all_count_something(self):
        """LBC's back-office home: each tile a staff login sees counts at least one record, with its rights, and
        opens a list that shows them."""
        empty = []
        for login in STAFF:
            user = self.env["res.users"].search([("login", "=", login)])
            counters = self.env["lbc.dashboard.tile"].with_user(user)._lbc_staff_counters()
            if not counters:
                empty.append(f"{login}: no dashboard tile")
            for counter in counters:
                tile = self.env["lbc.dashboard.tile"].browse(counter["id"]).with_user(user)
                action = tile.action_open()
                listed = self.env[action["res_model"]].with_user(user).search_count(action["domain"])
                if not counter["count"] or not listed:
                    empty.append(f"{login}: the tile {counter['name']} shows {counter['count']} ({listed} listed)")
        self.assertFalse(empty, "\n".join(empty))
        # the three that need a step of their own in the story
        self.assertTrue(
            self.env["lbc.company.role"].search_count(
                [
                    ("role", "=", "signatory"),
                    ("verification_state", "=", "to_verify"),
                    ("proof_attachment_ids", "!=", False),
                ]
            ),
            "a signatory with a proof waits for LBC's verification",
        )
        self.assertTrue(self.env["lbc.tender.bid"].search_count([("state", "=", "selected")]), "a bid to approve")
        exports = self.env["lbc.invoice.export"].search([])
        self.assertTrue(exports)
        self.assertEqual(set(exports.mapped("state")), {"done"}, exports.mapped("error"))
        self.assertTrue(all(exports.mapped("attachment_id")))

    def test_reports_in_every_state_and_documents(self):
        """The story covers each step: reports of every reachable state, the three kinds of invoicing
        documents, a credit note, an expired and an expiring document, a failed check, tenders of every
        state with bids."""
        Report = self.env["lbc.activity.report"]
        for state in ("draft", "submitted", "approved", "validated", "invoiced"):
            self.assertTrue(Report.search_count([("state", "=", state)]), state)
        self.assertTrue(Report.search_count([("state", "=", "draft"), ("rejection_reason", "!=", False)]))
        Move = self.env["account.move"]
        self.assertTrue(Move.search_count([("move_type", "=", "out_invoice"), ("state", "=", "posted")]))
        self.assertTrue(Move.search_count([("move_type", "=", "in_invoice"), ("state", "=", "posted")]))
        self.assertTrue(Move.search_count([("move_type", "=", "out_refund"), ("state", "=", "posted")]))
        Document = self.env["lbc.compliance.document"]
        self.assertTrue(Document.search_count([("state", "=", "expired")]))
        self.assertTrue(self.env["lbc.compliance.check"].search_count([("state", "=", "failed")]))
        Tender = self.env["lbc.tender"]
        for state in ("draft", "published", "closed", "awarded", "cancelled"):
            self.assertTrue(Tender.search_count([("state", "=", state)]), state)
        self.assertTrue(Tender.search_count([("state", "=", "closed"), ("bid_ids", "!=", False)]))
        self.assertTrue(self.env["sale.subscription"].search_count([("lbc_state", "=", "active")]))
