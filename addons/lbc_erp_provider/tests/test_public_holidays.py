from datetime import date, datetime

from odoo.exceptions import ValidationError

from .common import START, LbcErpCommon


class TestPublicHolidays(LbcErpCommon):
    """Working days and public holidays of the place of work, from the holidays package through Odoo's
    working calendars: metropolitan France, Alsace-Moselle, the overseas departments, other countries."""

    def _calendar_at(self, country_code, zip_code=""):
        place = self.env["res.partner"].create(
            {
                "name": f"Site {country_code} {zip_code}",
                "is_company": True,
                "country_id": self.env["res.country"].search([("code", "=", country_code)]).id,
                "zip": zip_code,
            }
        )
        return self.env["resource.calendar"]._lbc_calendar_for(place)

    @staticmethod
    def _off(calendar, day):
        return calendar._lbc_public_holidays(day, day).get(day)

    def test_one_calendar_per_region(self):
        paris = self._calendar_at("FR", "75002")
        self.assertEqual(self._calendar_at("FR", "69001"), paris, "Lyon and Paris share metropolitan France's")
        strasbourg = self._calendar_at("FR", "67000")
        self.assertNotEqual(strasbourg, paris)
        self.assertEqual(self._calendar_at("FR", "68100"), strasbourg, "Bas-Rhin and Haut-Rhin: Alsace")
        self.assertNotIn(self._calendar_at("FR", "57000"), paris | strasbourg, "Moselle has its own")
        self.assertEqual((paris.lbc_country_code, paris.lbc_subdivision), ("FR", False))

    def test_whit_monday_and_ascension_in_metropolitan_france(self):
        paris = self._calendar_at("FR", "75002")
        self.assertEqual(self._off(paris, date(2027, 5, 17)), "Lundi de Pentecôte")
        self.assertEqual(self._off(paris, date(2027, 5, 6)), "Ascension")
        # May 2027: 21 weekdays, Ascension (Thursday 6) and Whit Monday (17) off; May 1 and 8 are Saturdays
        self.assertEqual(len(paris._lbc_working_days(date(2027, 5, 1), date(2027, 5, 31))), 19)

    def test_alsace_moselle_keeps_good_friday_and_26_december(self):
        paris, strasbourg, metz = (self._calendar_at("FR", z) for z in ("75002", "67000", "57000"))
        for calendar in (strasbourg, metz):
            self.assertEqual(self._off(calendar, date(2028, 12, 26)), "Saint-Étienne")
            self.assertEqual(self._off(calendar, date(2028, 4, 14)), "Vendredi saint")
        self.assertIsNone(self._off(paris, date(2028, 12, 26)))
        self.assertIsNone(self._off(paris, date(2028, 4, 14)))

    def test_reunion_abolition_of_slavery(self):
        reunion = self._calendar_at("RE", "97400")
        self.assertEqual(self._off(reunion, date(2027, 12, 20)), "Abolition de l'esclavage")
        self.assertIsNone(self._off(self._calendar_at("FR", "75002"), date(2027, 12, 20)))
        self.assertIsNone(self._off(self._calendar_at("GP", "97100"), date(2027, 12, 20)), "Guadeloupe: 27 May")
        self.assertTrue(self._off(self._calendar_at("GP", "97100"), date(2027, 5, 27)))

    def test_foreign_place_of_work(self):
        brussels = self._calendar_at("BE", "1000")
        self.assertEqual(self._off(brussels, date(2027, 7, 21)), "Fête nationale")
        self.assertIsNone(self._off(brussels, date(2027, 7, 14)))
        self.assertEqual(brussels.lbc_country_code, "BE")

    def test_overseas_departments_are_france_for_vigilance(self):
        countries = self.env["res.country"]
        reunion = self.env["res.partner"].create(
            {"name": "Réunion Conseil", "is_company": True, "country_id": countries.search([("code", "=", "RE")]).id}
        )
        belgian = self.env["res.partner"].create(
            {"name": "Bruxelles Conseil", "is_company": True, "country_id": countries.search([("code", "=", "BE")]).id}
        )
        self.assertFalse(reunion.lbc_is_foreign)
        self.assertTrue(belgian.lbc_is_foreign)

    def test_mission_calendar_is_the_client_site(self):
        mission = self.mission
        self.assertEqual(
            mission.resource_calendar_id, self.env["resource.calendar"]._lbc_calendar_for(mission.client_id)
        )
        expected = mission.resource_calendar_id._lbc_working_days(mission.date_start, mission.date_end)
        self.assertEqual(mission.working_days, len(expected))
        self.assertNotIn(date(2027, 3, 29), expected, "Easter Monday 2027")

    def test_activity_report_counts_the_calendar(self):
        consultant = self.provider_a_consultant
        report = self.env["lbc.activity.report"].browse(
            self.mission.with_user(consultant).action_lbc_open_report(START)
        )
        easter_monday = date(2027, 3, 29)
        with self.assertRaisesRegex(ValidationError, "29/03/2027 is a public holiday"):
            report.with_user(consultant).action_save_days({easter_monday.isoformat(): 1})
        days = {day["date"]: day for day in report.with_user(consultant)._lbc_calendar_days()}
        self.assertEqual((days[easter_monday]["kind"], days[easter_monday]["holiday"]), ("holiday", "Lundi de Pâques"))
        report.with_user(consultant).action_save_days(
            {easter_monday.isoformat(): {"quantity": 1, "worked_off_day": True}}
        )
        self.assertEqual(report.line_ids.day_kind, "holiday")
        # a day off LBC adds to the calendar (e.g. a local holiday) counts the same way
        local = date(2027, 3, 10)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fête locale",
                "calendar_id": self.mission.resource_calendar_id.id,
                "date_from": datetime(2027, 3, 10, 0, 0),
                "date_to": datetime(2027, 3, 10, 23, 59, 59),
            }
        )
        with self.assertRaisesRegex(ValidationError, "10/03/2027 is a public holiday"):
            report.with_user(consultant).action_save_days({local.isoformat(): 1})
