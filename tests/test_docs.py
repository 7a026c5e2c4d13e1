"""The documentation runs: every console command, Python block and game file in docs/ and README.md.

The rules (which blocks run and how outputs compare) are in :mod:`tests.doccheck`;
``python -m tests.doccheck --update PAGE`` refreshes a page's outputs after a change.
"""

from __future__ import annotations

import pytest

from .doccheck import ROOT, blocks, check_page, matches, pages


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_runs(page, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    failures = check_page(page)
    assert not failures, "\n\n".join(failures)


def test_docs_have_runnable_blocks():
    """The harness is not vacuous: the docs hold commands and their outputs."""
    runnable = [b for p in pages() for b in blocks(p) if b.lang in ("console", "python")]
    assert len(runnable) >= 40


def test_ellipsis_matching():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "c"])
    assert matches(["a  ", ""], ["a"])
