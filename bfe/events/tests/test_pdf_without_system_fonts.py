"""On a server without any fonts the PDFs come out the same: the PDF tests pass again in a
subprocess whose fontconfig sees no system fonts at all (FONTCONFIG_FILE pointing at an empty
configuration; fontconfig reads it once per process, hence the subprocess)."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PDF_TESTS = [
    "bfe/events/tests/test_pdf_fonts.py",
    "bfe/events/tests/test_certificates.py::test_certificate_pdf_is_one_a4_page",
    "bfe/events/tests/test_certificates.py::test_certificate_with_long_names_stays_on_one_page",
    "bfe/events/tests/test_exports.py::test_empty_rows_fill_the_last_page_and_never_stand_alone",
]
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
COUNT_SYSTEM_FONTS = (
    "from weasyprint.text.ffi import fontconfig;"
    "config = fontconfig.FcInitLoadConfigAndFonts();"
    "print(fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem).nfont)"
)


def without_system_fonts(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"), encoding="utf-8")
    # SQLite in memory: never the test database of the run that started this one.
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL"}}
    return {**env, "FONTCONFIG_FILE": str(config)}


def run(command, env):
    return subprocess.run(  # noqa: S603 - our own interpreter and test files
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_empty_fontconfig_sees_no_fonts(tmp_path):
    result = run(["-c", COUNT_SYSTEM_FONTS], without_system_fonts(tmp_path))

    assert result.stdout.split() == ["0"], result.stdout + result.stderr


def test_pdfs_keep_their_pages_fonts_and_names_without_any_system_font(tmp_path):
    report = tmp_path / "report.xml"

    result = run(
        ["-m", "pytest", "-p", "no:xdist", f"--junitxml={report}", *PDF_TESTS],
        without_system_fonts(tmp_path),
    )

    suite = ET.parse(report).getroot().find("testsuite")  # noqa: S314 - pytest's own report
    counts = {key: int(suite.get(key)) for key in ("tests", "skipped", "errors", "failures")}
    assert counts["tests"] >= 10, result.stdout
    assert counts["errors"] == counts["failures"] == counts["skipped"] == 0, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
