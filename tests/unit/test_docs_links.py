"""Every file the README and the docs link to is in the repository.

A fresh clone is what a reader gets, so a link counts only if git tracks its
target: a figure that exists here but is ignored by .gitignore is a broken
image for everyone else.
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _pages():
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.fixture(scope="module")
def tracked():
    """The repository's files, listed once for every page."""
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return {(ROOT / line).resolve() for line in out.splitlines()}


def local_targets(page):
    """The files a page links to, resolved; web addresses and anchors left out."""
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        yield (page.parent / target.split("#")[0]).resolve()


def test_local_targets_skip_web_addresses_and_anchors(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("[a](https://x.org/y) [b](#here) [c](d/e.md#f) ![g](h.png)")
    assert list(local_targets(page)) == [tmp_path / "d" / "e.md", tmp_path / "h.png"]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_linked_file_is_tracked(page, tracked):
    missing = [
        str(t.relative_to(ROOT)) for t in local_targets(page) if t not in tracked
    ]
    assert not missing, f"{page.relative_to(ROOT)} links to untracked files: {missing}"
