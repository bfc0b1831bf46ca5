"""Reading a vigilance attestation: the text of a PDF and what it says.

Plain functions (no model): the text layer of the PDF with pypdf, then the SIREN/SIRET, the issue date, the
printed end of validity and the URSSAF security code found in it. The upload (lbc.compliance.document) decides
what to refuse and what to flag to LBC from what is found here.
"""

import io
import logging
import re
import unicodedata
from datetime import date

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

_logger = logging.getLogger(__name__)

MAX_PAGES = 10
# the URSSAF security code ("code de sécurité") of an attestation: 15 letters and digits
URSSAF_CODE_RE = re.compile(r"^[A-Z0-9]{15}$")

MONTHS = {
    # French
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    # English
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
DATE_PATTERN = (
    r"(?:(?P<d1>\d{1,2})[/.\-](?P<m1>\d{1,2})[/.\-](?P<y1>\d{4})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})"
    rf"|(?P<d3>\d{{1,2}})(?:er)?\s+{_MONTH}\s+(?P<y3>\d{{4}})"
    rf"|{_MONTH.replace('month_name', 'month_name4')}\s+(?P<d4>\d{{1,2}}),?\s+(?P<y4>\d{{4}}))"
)
ISSUE_LABELS = (
    r"(?:delivree?\s+le|date\s+de\s+delivrance|etablie?\s+le|editee?\s+le|emise?\s+le|date\s+d'?edition"
    r"|fait\s+(?:a\s+[^\n,]{1,40},?\s+)?le|issued\s+on|date\s+of\s+issue|issue\s+date)"
)
VALIDITY_LABELS = (
    r"(?:valable\s+jusqu'?\s*(?:au|a)|valide\s+jusqu'?\s*(?:au|a)|(?:date\s+de\s+)?fin\s+de\s+validite"
    r"|valid\s+until|valid\s+through|expires?\s+on|expiry\s+date|date\s+d'?expiration)"
)
SEP = r"\s*(?::|-)?\s*(?:le\s+|on\s+)?"
ISSUE_RE = re.compile(ISSUE_LABELS + SEP + DATE_PATTERN)
VALIDITY_RE = re.compile(VALIDITY_LABELS + SEP + DATE_PATTERN)
CODE_RE = re.compile(
    r"(?:code\s+de\s+securite|code\s+de\s+verification|identifiant\s+de\s+securite|security\s+code"
    r"|verification\s+code)\s*(?:n[o°]\s*)?[:\-]?\s*(?P<code>[a-z0-9]{4,40})\b"
)
LABELLED_ID_RE = re.compile(r"\b(?:siren|siret)\b[^0-9\n]{0,25}(?P<digits>\d(?:[ \u00a0]?\d){8,16})")
ANY_ID_RE = re.compile(r"(?<!\d)(\d{3}[ \u00a0]?\d{3}[ \u00a0]?\d{3}(?:[ \u00a0]?\d{5})?)(?!\d)")


def extract_pdf_text(raw):
    """The text layer of a PDF (first pages), or None when the file cannot be read as a PDF."""
    from pypdf import PdfReader  # pinned in requirements.txt, loaded on upload only

    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES])
    except Exception as error:  # any broken PDF goes to manual review, never crashes the upload
        _logger.info("vigilance attestation: text not extracted (%s)", error)
        return None


def normalize(text):
    """Lower case, accents removed, non-breaking spaces as spaces: what the patterns match on."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u00a0", " ").replace("\u2019", "'").lower()


def _to_date(match):
    groups = match.groupdict()
    try:
        for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
            if groups.get(y):
                return date(int(groups[y]), int(groups[m]), int(groups[d]))
        if groups.get("y3"):
            return date(int(groups["y3"]), MONTHS[groups["month_name"]], int(groups["d3"]))
        if groups.get("y4"):
            return date(int(groups["y4"]), MONTHS[groups["month_name4"]], int(groups["d4"]))
    except (ValueError, KeyError):
        return None
    return None


def _dates(regex, text):
    found = []
    for match in regex.finditer(text):
        value = _to_date(match)
        if value and value not in found:
            found.append(value)
    return found


def _sirens(digits_list):
    sirens = []
    for raw in digits_list:
        digits = re.sub(r"\D", "", raw)
        siren = None
        if len(digits) >= 14 and stdnum_siret.is_valid(digits[:14]):
            siren = digits[:9]
        elif len(digits) >= 9 and stdnum_siren.is_valid(digits[:9]):
            siren = digits[:9]
        if siren and siren not in sirens:
            sirens.append(siren)
    return sirens


def read_attestation(text):
    """What an attestation's text says.

    Returns a dict: `sirens` (labelled SIREN/SIRET, as SIRENs), `other_sirens` (valid numbers found without a
    label), `issue_dates`, `validity_dates` (printed end of validity), `codes` (security codes, upper case).
    """
    norm = normalize(text)
    labelled = _sirens(m.group("digits") for m in LABELLED_ID_RE.finditer(norm))
    others = [s for s in _sirens(ANY_ID_RE.findall(norm)) if s not in labelled]
    codes = []
    for match in CODE_RE.finditer(norm):
        code = match.group("code").upper()
        if code not in codes:
            codes.append(code)
    return {
        "sirens": labelled,
        "other_sirens": others,
        "issue_dates": _dates(ISSUE_RE, norm),
        "validity_dates": _dates(VALIDITY_RE, norm),
        "codes": codes,
    }


def clean_urssaf_code(code):
    """The code as typed, without spaces and in upper case."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def is_urssaf_code(code):
    return bool(URSSAF_CODE_RE.match(code or ""))
