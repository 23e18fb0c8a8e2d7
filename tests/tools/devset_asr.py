"""StarCoach's transcription against bare faster-whisper on the shared dev set's audio.

    python tests/tools/devset_asr.py MODEL_DIR [--devset ../shared/devset] [--audio DIR]
                                     [--only o04,o11] [--cache DIR]

Per answer: word error rate of bare ``WhisperModel.transcribe(wav, language="en",
word_timestamps=True)`` and of ``Transcriber.transcribe`` (recognised words only) against
the case text, normalised as ``asr_fidelity.py`` does (fillers and numbers dropped); the
reference sentences StarCoach loses (of whose words bare finds a share at least 0.4 larger
than StarCoach does); false fillers (answers with no filler spoken); and, where fillers
are spoken, how many are matched by a reported filler in place (aligned with the text).
Bare results are cached in ``--cache`` (they never change for a model).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

FILLERS = {"um", "uh", "er", "ah", "hmm", "umm", "uhh", "erm", "mm"}
NUMBER_WORDS = set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion point percent".split()
)


def norm(text: str) -> list[str]:
    out = []
    for w in text.lower().replace("-", " ").split():
        w = re.sub(r"[^a-z0-9']", "", w).strip("'")
        if w and not any(ch.isdigit() for ch in w) and w not in NUMBER_WORDS:
            out.append(w)
    return out


def align(ref: list[str], hyp: list[str]) -> tuple[int, list[bool]]:
    """Edit distance, and for each reference word whether it was matched."""
    n, m = len(ref), len(hyp)
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    hit, i, j = [False] * n, n, m
    while i > 0 and j > 0:
        if d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            hit[i - 1] = ref[i - 1] == hyp[j - 1]
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return d[n][m], hit


def spoken_tokens(text: str) -> list[str]:
    """``norm(text)`` with "<f>" for each filler the case text writes; one written in
    capitals is an acronym ("ER", the emergency room), not a filler."""
    out = []
    for raw in text.replace("-", " ").split():
        for w in norm(raw):
            bare = re.sub(r"[^A-Za-z]", "", raw)
            acronym = len(bare) > 1 and bare.isupper()
            out.append("<f>" if w in FILLERS and not acronym else w)
    return out


def sentence_share(sentences: list[str], hyp: list[str]) -> list[float]:
    ref, owner = [], []
    for k, s in enumerate(sentences):
        for w in norm(s):
            if w not in FILLERS:
                ref.append(w)
                owner.append(k)
    _, hit = align(ref, hyp)
    share = []
    for k in range(len(sentences)):
        idx = [i for i, o in enumerate(owner) if o == k]
        share.append(sum(hit[i] for i in idx) / len(idx) if idx else 1.0)
    return share


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--devset", default="../shared/devset")
    ap.add_argument("--audio", default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--cache", default=None)
    a = ap.parse_args()
    devset = Path(a.devset)
    audio = Path(a.audio) if a.audio else devset / "audio"
    sys.path.insert(0, str(devset))
    from faster_whisper import WhisperModel
    from starcoach.speech.transcribe import Transcriber
    from synth import split_sentences

    bare_model = WhisperModel(a.model, device="cpu", compute_type="int8", cpu_threads=2)
    ours = Transcriber(a.model, cpu_threads=2)
    cache = Path(a.cache) if a.cache else None
    only = {x for x in a.only.split(",") if x}
    totals = {"bare": [0, 0], "starcoach": [0, 0]}
    false_fillers, worse, lost, recall = [], [], [], {}
    seconds = duration = 0.0
    for case_file in sorted((devset / "cases").glob("*.json")):
        case = json.loads(case_file.read_text())
        cid = case["id"]
        if only and cid not in only and cid[:3] not in only:
            continue
        wav = audio / f"{cid}.wav"
        text = " ".join(s["text"] for s in case["segments"])
        sentences = [x for s in case["segments"] for x in split_sentences(s["text"])]
        ref = [w for w in norm(text) if w not in FILLERS]
        cached = cache / f"{cid}.json" if cache else None
        if cached and cached.is_file():
            bare_words = json.loads(cached.read_text())
        else:
            segments, _ = bare_model.transcribe(str(wav), word_timestamps=True, language="en")
            bare_words = [w.word.strip() for s in segments for w in (s.words or [])]
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(bare_words))
        start = time.perf_counter()
        result = ours.transcribe(wav)
        seconds += time.perf_counter() - start
        duration += result.duration
        tokens = []  # recognised words, and "<f>" for each filler (acoustic or written)
        for w in result.words:
            if w.kind == "filler":
                tokens.append("<f>")
            elif w.kind == "word":
                tokens += ["<f>" if x in FILLERS else x for x in norm(w.text)]
        hyp = [w for w in tokens if w != "<f>"]
        hyp_bare = [w for w in norm(" ".join(bare_words)) if w not in FILLERS]
        e_bare, e_ours = align(ref, hyp_bare)[0], align(ref, hyp)[0]
        for key, e in (("bare", e_bare), ("starcoach", e_ours)):
            totals[key][0] += e
            totals[key][1] += len(ref)
        line = (f"{cid[:3]}  WER bare {e_bare / len(ref):.3f}  starcoach "
                f"{e_ours / len(ref):.3f}  fillers {tokens.count('<f>')}")
        spoken = spoken_tokens(text)
        if "<f>" in spoken:
            _, hit = align(spoken, tokens)
            found = sum(h for h, w in zip(hit, spoken, strict=True) if w == "<f>")
            recall[cid[:3]] = (found, spoken.count("<f>"))
            line += f" (spoken {spoken.count('<f>')}, found {found})"
        else:
            false_fillers.append(tokens.count("<f>"))
            line += " (none spoken)"
        if (e_ours - e_bare) / len(ref) > 0.02:
            worse.append(cid[:3])
        kb, ks = sentence_share(sentences, hyp_bare), sentence_share(sentences, hyp)
        missing = [s for s, b, o in zip(sentences, kb, ks, strict=True) if b - o >= 0.4]
        if missing:
            lost.append(cid[:3])
            line += f"  LOST {len(missing)} sentence(s)"
        print(line, flush=True)
    print(json.dumps({
        "wer_bare": round(totals["bare"][0] / max(1, totals["bare"][1]), 4),
        "wer_starcoach": round(totals["starcoach"][0] / max(1, totals["starcoach"][1]), 4),
        "worse_than_bare_by_over_0.02": worse,
        "answers_with_a_sentence_lost": lost,
        "false_fillers_per_answer_without_fillers": round(
            sum(false_fillers) / max(1, len(false_fillers)), 2),
        "answers_without_fillers": len(false_fillers),
        "fillers_found": recall,
        "rtf_starcoach": round(seconds / max(duration, 1e-9), 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
