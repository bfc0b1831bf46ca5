"""./lbc cluster (tools/cluster.sh, bench/cluster_check.py, bench/cluster_bench.py): what can be checked without
starting the cluster. The cluster itself is checked by ./lbc test's "cluster check" stage (./lbc cluster check)."""

import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class TestClusterTools(unittest.TestCase):
    def test_usage_on_an_unknown_command(self):
        proc = subprocess.run(
            ["bash", str(ROOT / "tools" / "cluster.sh"), "nope"],
            env={**os.environ, "VENV": "/nonexistent"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        self.assertEqual(proc.returncode, 2)
        self.assertIn("./lbc cluster check", proc.stderr)

    def test_session_store_pinned(self):
        pins = (ROOT / "requirements-oca.txt").read_text().split()
        self.assertIn("odoo-addon-session_db==19.0.1.0.0.2", pins)

    def test_bench_summary_ratios(self):
        rows = [
            {"label": "1 server(s), replica: without", "rps": 10.0, "p50_ms": 400, "p95_ms": 1000, "p99_ms": 1500},
            {"label": "2 server(s), replica: without", "rps": 12.5, "p50_ms": 350, "p95_ms": 800, "p99_ms": 1200},
            {"label": "2 server(s), replica: with", "rps": 15.0, "p50_ms": 300, "p95_ms": 1500, "p99_ms": 2000},
        ]
        for row in rows:
            row.update(ok_rps=row["rps"], errors=0, non200=0, load_before="1 1 1", load_after="2 2 2")
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "cluster_bench.py"), "--summary"],
            input="\n".join(json.dumps(r) for r in rows),
            env={**os.environ, "LBC_CLUSTER_LB": "http://127.0.0.1:1", "LBC_CLUSTER_PRIMARY": "dbname=none"},
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        lines = proc.stdout.splitlines()
        self.assertIn("1.00, 1.00", lines[1])
        self.assertIn("1.25, 0.80", lines[2])
        self.assertIn("1.50, 1.50", lines[3])
