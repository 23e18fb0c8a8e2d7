"""Markdown, HTML and PDF reports of an attempt: content, and transcript text escaped."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from starcoach.desktop.attempts.export import ExportError, md_escape, to_html, to_markdown
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


# -- what a person reads ----------------------------------------------------------------------

def _visible(page: str) -> str:
    """The HTML's text as shown: tags (and the ids kept in their attributes) left out."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[-1]))


@pytest.fixture
def third_of_two(store, words, report, monkeypatch):
    """Three answers to one question, the first deleted: the last is attempt 2 of 2 (id 3),
    recorded 08:35 UTC, shown in Kolkata's time; heard by a model in a folder called model."""
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    ids = []
    for day in (1, 2, 2):
        new = store.begin_attempt(question="ownership-failure", principle="ownership",
                                  started_at=f"2026-12-0{day}T08:3{len(ids)}:00+00:00",
                                  model="/opt/whisper-small-ct2/model")
        store.finish_attempt(new.id, words, report)
        ids.append(new.id)
    store.delete(ids[0])
    yield store.get(ids[2])
    monkeypatch.delenv("TZ")
    time.tzset()


def test_exports_name_the_question_rules_time_model_and_attempt_as_a_person_reads_them(
        store, third_of_two, report, tmp_path):
    from starcoach.desktop.history.exporting import write_export

    assert third_of_two.id == 3
    rules = {f.rule for f in report.findings}
    assert rules
    md = write_export(store, 3, "md", tmp_path).read_text(encoding="utf-8")
    page = write_export(store, 3, "html", tmp_path).read_text(encoding="utf-8")
    for text in (md.replace("\\", ""), _visible(page)):
        assert "Describe a time you took ownership of a failure and made it right." in text
        assert "ownership-failure" not in text
        assert not [r for r in rules if r in text], "a rule id is shown"
        assert "Too little Action" in text or any(
            t in text for t in ("No scope boundary", "No measured change", "Generic lesson"))
        assert "2 Dec 2026, 14:02" in text and "T08:32" not in text
        assert "whisper-small-ct2" in text and not re.search(r"Model\W+model\b", text)
        assert "Mid level" in text
    assert re.search(r"\| Attempt \| 2 \|", md)
    assert re.search(r"<th>Attempt</th><td>2</td>", page)
    # The ids are still there for machines, in attributes only.
    assert all(f'data-rule="{r}"' in page for r in rules)


def test_the_pdf_is_titled_with_the_question_not_its_id(store, third_of_two, tmp_path,
                                                        monkeypatch):
    pytest.importorskip("PySide6.QtGui")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    from starcoach.desktop.history.exporting import write_export

    data = write_export(store, 3, "pdf", tmp_path / "r.pdf").read_bytes()
    title = "StarCoach report — Describe a time you took ownership"
    encoded = "".join(f"{b:02X}" for b in title.encode("utf-16-be"))
    assert title.encode() in data or encoded.encode() in data.upper() or \
        title.encode("utf-16-be") in data
    assert b"attempt 3" not in data
