import itertools

from stdnum import luhn

from odoo.tests import TransactionCase, new_test_user

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
