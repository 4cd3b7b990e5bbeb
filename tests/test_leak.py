"""Security property: nothing staff-only reaches any file of the public build.

The leak fixture carries a unique canary in every kind of staff-only content: each staff-only
item kind, every internal note, a role's contact details, a staff-only document, the risk
register, items hidden because their parent is staff-only. Every canary must appear in the staff
build (so the test can fail) and none in any public file, including the search index, sitemap
(gzipped too), downloads and the 404 page.
"""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as

CANARY = re.compile(rb"canary-[a-z0-9-]+", re.I)


def canaries_in_source() -> set[str]:
    found = set()
    for f in (FIXTURES / "leak").rglob("*"):
        if f.is_file():
            found |= {m.decode().lower() for m in CANARY.findall(f.read_bytes())}
    return found


def canaries_in(tree: Path) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for f in tree.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if f.suffix == ".gz":
            data = gzip.decompress(data)
        for m in CANARY.findall(data):
            seen.setdefault(m.decode().lower(), set()).add(str(f.relative_to(tree)))
    return seen


@pytest.fixture(scope="module")
def leak_site(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "leak", tmp_path_factory.mktemp("leak") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root, reports=True)


def test_fixture_has_a_canary_in_every_kind_of_staff_only_content():
    found = canaries_in_source()
    for kind in ["role-internal-note", "role-contact-email", "role-contact-phone", "staff-role-title",
                 "theme-internal-note", "staff-theme-title", "commitment-under-staff-theme",
                 "staff-commitment-statement", "commitment-internal-note", "update-internal-note",
                 "action-internal-note", "staff-action-title", "staff-action-narrative", "staff-evidence-title",
                 "action-under-staff-commitment", "source-internal-note", "staff-source-title",
                 "progress-internal-note", "recommendation-internal-note", "staff-recommendation-text",
                 "measure-internal-note", "staff-measure-name", "staff-measure-note", "risk-title",
                 "risk-description", "risk-mitigation", "grading-internal-note", "staff-grading-title",
                 "staff-grading-area", "public-document-internal-note", "staff-document-title",
                 "staff-document-summary", "staff-document-body"]:
        assert f"canary-{kind}" in found, kind


def test_no_canary_in_any_public_file(leak_site):
    leaked = canaries_in(leak_site / "public")
    assert leaked == {}, leaked


def test_every_canary_reaches_the_staff_edition(leak_site):
    staff = canaries_in(leak_site / "staff")
    # Fields that no page shows at all (a source's internal note is kept in data only) still
    # reach the staff edition through its plan.json download.
    missing = canaries_in_source() - set(staff)
    assert missing == set(), missing


def test_public_search_index_and_sitemap_exist_and_are_clean(leak_site):
    base = leak_site / "public" / "2013-07-board"
    index = base / "search" / "search_index.json"
    assert index.exists() and b"A1" in index.read_bytes()
    assert (base / "sitemap.xml").exists() and (base / "404.html").exists()
    assert not CANARY.search(index.read_bytes())


def test_public_pages_do_not_name_hidden_items(leak_site):
    base = leak_site / "public" / "2013-07-board"
    for hidden in ("A-STAFF", "R-STAFF", "M-STAFF", "DOC-STAFF", "T-STAFF", "C-STAFF", "ROLE-SECRET", "RISK1"):
        hits = [str(f.relative_to(base)) for f in base.rglob("*") if f.is_file() and hidden.encode() in f.read_bytes()]
        assert hits == [], (hidden, hits)
