"""Markdown, HTML and PDF reports of an attempt: content, and transcript text escaped."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from starcoach.desktop.history.export import ExportError, md_escape, to_html, to_markdown
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Word

NASTY = ["So", "<script>alert(1)</script>", "I", "fixed", "R&D's", "*bold*", "_under_", "a|b",
         "`code`", "[link](http://x)", "&amp;", "we", "escalated", "it", "to", "the",
         "platform", "team.", "Things", "got", "better."]


@pytest.fixture
def nasty_attempt(store):
    words = [Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(NASTY)]
    report = analyze(words, principle="ownership")
    assert report.findings  # so some nasty words are inside marks
    new = store.begin_attempt(principle="ownership")
    store.finish_attempt(new.id, words, report, model="base.en")
    store.set_notes(new.id, "notes <b>with</b> | pipes & *stars*")
    return store.get(new.id)


def test_html_escapes_every_piece_of_transcript_text(nasty_attempt):
    page = to_html(nasty_attempt)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "R&amp;D&#x27;s" in page and "&amp;amp;" in page
    assert "<b>with</b>" not in page and "notes &lt;b&gt;with&lt;/b&gt;" in page
    assert 'href="http://x"' not in page
    # Findings are drawn on their words, with a severity class and the message as a tooltip.
    marks = re.findall(r'<mark class="(major|minor|info)"[^>]* title="([^"]*)">([^<]*)</mark>',
                       page)
    assert marks and all(m[1] for m in marks)
    assert any("escalated" in m[2] for m in marks)
    # Every section is labelled; the timeline and scores are there.
    labels = re.findall(r'<p class="section" data-section="(\w+)">', page)
    assert labels == [s["label"] for s in nasty_attempt.report["sections"]]
    assert '<table class="timeline">' in page and '<table class="scores">' in page
    for f in nasty_attempt.report["findings"]:
        assert f["rule"] in page


def test_markdown_escapes_every_piece_of_transcript_text(nasty_attempt):
    md = to_markdown(nasty_attempt)
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in md
    assert r"R\&D's" in md and r"\*bold\*" in md and r"\_under\_" in md
    assert r"a\|b" in md and r"\`code\`" in md and r"\[link\](http://x)" in md
    assert r"\&amp;" in md and r"notes \<b\>with\</b\> \| pipes \& \*stars\*" in md
    for line in md.splitlines():  # table rows keep their column count despite the pipes
        if line.startswith("| ") and "Section" not in line and "Category" not in line:
            assert len(re.findall(r"(?<!\\)\|", line)) in (3, 7), line
    n = len(nasty_attempt.report["findings"])
    assert all(f"[^{i}]:" in md for i in range(1, n + 1))
    assert "**Situation**" in md or "**Action**" in md
    assert md_escape("a\nb  c") == "a b c"


def test_an_attempt_without_a_report_cannot_be_exported(store):
    new = store.begin_attempt()
    with pytest.raises(ExportError, match="no report yet"):
        to_html(store.get(new.id))


def test_pdf_is_a_pdf_with_the_transcript_in_it(nasty_attempt, tmp_path, monkeypatch):
    pytest.importorskip("PySide6.QtGui")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    from starcoach.desktop.history.pdf import write_pdf

    out = write_pdf(nasty_attempt, tmp_path / "report.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    if shutil.which("pdftotext") is None:
        return  # Debian poppler-utils reads the text back where installed
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "escalated" in text and "<script>alert(1)</script>" in text
