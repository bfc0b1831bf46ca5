import html
import itertools
import re
import threading
import traceback
from contextlib import ExitStack, contextmanager
from unittest.mock import patch

from stdnum import luhn

from odoo import api, http
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

_sequence = itertools.count(1)


def make_siret(seed):
    """A valid SIRET (Luhn on the SIREN and on the whole number) derived from `seed`."""
    siren8 = f"{700000000 + seed * 7919:09d}"[-8:]
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def make_fr_vat(siret):
    siren = siret[:9]
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def english_website(env):
    """LBC's site is French first (lbc_portal); the tests speak English to English users: with English as the
    website's default language their pages keep their plain URLs (no /en/ redirect)."""
    website = env.ref("website.default_website", raise_if_not_found=False)
    if website:
        website.default_lang_id = env.ref("base.lang_en")


class LbcBaseCommon(TransactionCase):
    """Two clients, two providers, their members, LBC staff; built once, no demo data used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.france = cls.env.ref("base.fr")
        cls.belgium = cls.env.ref("base.be")
        cls.operator = new_test_user(cls.env, "lbc_operator", groups="lbc_base.group_operator", name="LBC Operator")
        cls.compliance_officer = new_test_user(
            cls.env, "lbc_compliance", groups="lbc_base.group_compliance_officer", name="LBC Compliance"
        )
        cls.client_a = cls._create_company("Client A", client=True)
        cls.client_b = cls._create_company("Client B", client=True)
        cls.provider_a = cls._create_company("Provider A", provider=True)
        cls.client_a_admin = cls._create_member(cls.client_a, "client_a_admin", "project_manager", ["admin"])
        cls.client_a_buyer = cls._create_member(cls.client_a, "client_a_buyer", "buyer")
        cls.client_b_admin = cls._create_member(cls.client_b, "client_b_admin", "project_manager", ["admin"])
        cls.provider_a_admin = cls._create_member(
            cls.provider_a, "provider_a_admin", "company_manager", ["admin", "signatory"]
        )
        cls.provider_a_consultant = cls._create_member(cls.provider_a, "provider_a_consultant", "consultant")

    @classmethod
    def _create_company(cls, name, client=False, provider=False, country=None, **vals):
        country = country or cls.france
        values = {
            "name": name,
            "is_company": True,
            "lbc_is_client": client,
            "lbc_is_provider": provider,
            "street": "1 rue de Test",
            "zip": "75001",
            "city": "Paris",
            "country_id": country.id,
            "email": f"contact@{name.lower().replace(' ', '-')}.example",
        }
        if country == cls.france:
            values["company_registry"] = make_siret(1000 + next(_sequence))
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_member(cls, company, login, profile_type, roles=()):
        user = new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
        )
        user.partner_id.write({"parent_id": company.id, "lbc_profile_type": profile_type})
        for role in roles:
            cls.env["lbc.company.role"].create(
                {"member_id": user.partner_id.id, "member_company_id": company.id, "role": role}
            )
        return user

    @classmethod
    def _validate(cls, *companies):
        for company in companies:
            company.action_lbc_submit()
            company.action_lbc_validate()


class LbcPortalPageMixin:
    """Helpers of the tests of the member pages (with an HttpCase): log in, post a form, read its error,
    check that a page of another company's record does not open."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, files=None):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **(data or {})}, files=files)

    @staticmethod
    def _error(response):
        found = re.search(r'o_lbc_error"[^>]*>([^<]*)<', response.text)
        return found and html.unescape(found.group(1))

    def _assert_redirected_away(self, url, secret):
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertNotIn(response.status_code, (500,), url)
        self.assertTrue(
            response.status_code in (403, 404) or response.url.rstrip("/").endswith("/my"),
            f"{url} must not open for another company ({response.status_code} {response.url})",
        )
        self.assertNotIn(secret, response.text, f"{url} leaks {secret}")

    def _assert_pages(self, pages):
        """Each page of {url: a text it shows} opens for the logged-in member and shows that text."""
        for url, expected in pages.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(expected, response.text, url)

    def _assert_query_counts(self, cases):
        """[(user, url, queries)]: the page, warm (opened twice before), reads at most that many queries."""
        for user, url, expected in cases:
            self._login(user)
            self.url_open(url)
            self.url_open(url)
            with self.assertQueryCount(expected):
                self.assertEqual(self.url_open(url).status_code, 200)

    @staticmethod
    def _tender_form(**vals):
        """The fields of a valid tender form (/my/tenders/new), changed by `vals`."""
        return {
            "name": "Data architect",
            "description": "Design the lake",
            "date_start": "2030-02-01",
            "duration_days": "10",
            "deadline": "2030-01-01T12:00",
            "max_daily_rate": "800",
            "show_max_rate": "1",
            "remote_policy": "remote",
            "audience": "all",
            **vals,
        }


class LbcRunnersMixin:
    """The harness of the tests of a job spread over several runners at once (with a TransactionCase whose
    fixture is committed): threads, each with its own real cursor (its own PostgreSQL transaction), start
    together and run the job; what each runner claimed and committed is recorded."""

    def _lbc_run_runners(self, n_runners, run_one, claim_model="ir.cron", claim_method="_lbc_claim", extra_patches=()):
        """`n_runners` threads call `run_one(env)` at once (a barrier), each in its own cursor, committed after.
        `claim_model`'s `claim_method` (it returns the claimed records) and `ir.cron._commit_progress` are
        recorded; `extra_patches` (unittest.mock patchers) apply during the run. Asserts that no runner failed
        and returns (claims, commits): per runner (thread name), the batches it claimed and committed (the
        records of the last claim before each commit) and the number of its commits."""
        barrier = threading.Barrier(n_runners, timeout=60)
        claims, commits, errors, pending = {}, {}, [], {}
        Claimer, Cron = type(self.env[claim_model]), type(self.env["ir.cron"])
        claim, commit = getattr(Claimer, claim_method), Cron._commit_progress
        unclaimed = self.env[claim_model].browse()  # a commit without a claim before it

        def recorded_claim(*args, **kwargs):
            # a batch rolled back after a concurrency error is claimed again: only committed claims count
            claimed = claim(*args, **kwargs)
            pending[threading.current_thread().name] = claimed
            return claimed

        def recorded_commit(*args, **kwargs):
            name = threading.current_thread().name
            commits[name] = commits.get(name, 0) + 1
            claims.setdefault(name, []).append(pending.pop(name, unclaimed))
            return commit(*args, **kwargs)

        def run():
            try:
                with self.registry.cursor() as cr:
                    # the test holds the registry's loading lock: give the cursor its transaction directly
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    barrier.wait()
                    run_one(env)
                    cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            except Exception as error:  # reported by the test
                errors.append(f"{type(error).__name__}: {error} {traceback.format_exc()}")

        with ExitStack() as stack:
            # a new cursor's environment (e.g. Odoo's partner ranks, incremented after the commit) asks
            # Registry(dbname) for the registry, whose lock the test holds during the post-install tests: in the
            # runners' threads it would wait forever; give it the loaded registry (a cron thread has no such lock)
            stack.enter_context(patch("odoo.orm.environments.Registry", lambda dbname: self.registry))
            stack.enter_context(patch.object(Claimer, claim_method, recorded_claim))
            stack.enter_context(patch.object(Cron, "_commit_progress", recorded_commit))
            for extra in extra_patches:
                stack.enter_context(extra)
            threads = [threading.Thread(target=run, name=f"runner-{n}") for n in range(n_runners)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
        self.assertEqual(errors, [], "no runner failed")
        return claims, commits


@contextmanager
def lbc_feature_for(registry, code, companies):
    """A plan's feature `code` open to the members of `companies` only, in the addons below the plans
    (lbc_erp_client): both forms of the gate are patched, `_lbc_has_feature` and its batch form
    `_lbc_filter_feature` (which lbc_erp_client answers in one query of its own)."""

    def has_feature(partner, feature):
        return feature == code and partner.commercial_partner_id in companies

    def filter_feature(partners, feature):
        return partners.filtered(lambda partner: has_feature(partner, feature))

    Partner = registry["res.partner"]
    with (
        patch.object(Partner, "_lbc_has_feature", has_feature),
        patch.object(Partner, "_lbc_filter_feature", filter_feature),
    ):
        yield
