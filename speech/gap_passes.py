"""The decoding session's extra passes over what the main pass left out: each committed
window decoded again behind the disfluent filler prompt for the fillers it writes, and each
voiced gap no word covers decoded again on its own for the words in it. A mixin of
:class:`~starcoach.speech.decode_session.DecodeSession`, which holds the state it reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.decoding import (
    FILLER_PASS_CONTEXT_TOKENS,
    FILLER_PROMPT,
    RECOVER_CONTEXT_S,
    RECOVER_PROMPT_WORDS,
    Cancel,
    TranscribeOptions,
)
from starcoach.speech.fillers import Gap, normalise_filler
from starcoach.speech.word_repair import (
    overlaps,
    place_fillers,
    repeats,
    tidy_words,
)


class GapPasses:
    """The filler pass and the gap pass of a :class:`DecodeSession` (set up by its
    ``__init__``)."""

    model: Any
    tokenizer: Any
    options: TranscribeOptions
    filler_tokens: list[int]

    def _prompted_fillers(
        self,
        encoder_output: Any,
        seek: int,
        segment_size: int,
        opts: Any,
        upto: float,
        main_words: list[Word],
    ) -> tuple[list[Word], list[int]]:
        """The fillers a greedy decode of the same window writes when the filler prompt
        leads its prompt, ending before ``upto`` (timeline s); source time, kind "filler";
        and the tokens of its text up to there (its own history, fillers and all, is the
        rest of its prompt, as when it was the main pass: text without fillers before a
        window makes Whisper leave them out of it).

        Unprompted, Whisper writes almost no "um"/"uh" (it folds them into the neighbouring
        words); led by the disfluent prompt it writes them, and on the dev set none that
        were not said. Only its fillers are kept: the words come from the main pass. Its
        word times are rougher, so each filler is placed by aligning its text with the main
        pass's (:func:`place_fillers`).
        """
        model = self.model
        fe = model.feature_extractor
        lead = self.tokenizer.encode(" " + (self.options.recover_prompt or FILLER_PROMPT))
        prompt = model.get_prompt(
            self.tokenizer, lead + self.filler_tokens[-FILLER_PASS_CONTEXT_TOKENS:],
            without_timestamps=False,
        )
        opts = replace(opts, beam_size=1, temperatures=[0.0])
        result, _, _, _ = model.generate_with_fallback(
            encoder_output, prompt, self.tokenizer, opts
        )
        tokens = result.sequences_ids[0]
        segments, _, _ = model._split_segments_by_timestamps(
            tokenizer=self.tokenizer,
            tokens=tokens,
            time_offset=seek * fe.time_per_frame,
            segment_size=segment_size,
            segment_duration=segment_size * fe.time_per_frame,
            seek=seek,
        )
        history = [t for seg in segments if seg["start"] < upto for t in seg["tokens"]]
        text = [t for t in history if t < self.tokenizer.eot]
        written, _ = self.tokenizer.split_to_word_tokens(text)
        prompted = [t for t in (normalise_filler(w) for w in written) if t]
        return place_fillers(prompted, main_words), history

    def recover_prompt(self, before: Sequence[Word]) -> str | None:
        """The prompt for re-decoding a gap: ``recover_prompt`` (the filler prompt), then the
        last ``RECOVER_PROMPT_WORDS`` recognised words before it."""
        recent = [w.text for w in before if w.kind == "word"][-RECOVER_PROMPT_WORDS:]
        return " ".join([self.options.recover_prompt or "", *recent]).strip() or None

    def recover_words(self, audio: np.ndarray, words: Sequence[Word], gaps: Sequence[Gap],
                      cancel: Cancel = None) -> list[Word]:
        """Words found by decoding each gap of ``audio`` (source samples) again.

        Gaps closer than twice ``RECOVER_CONTEXT_S`` are decoded together. Each stretch is
        decoded on its own (no VAD, the words before it as the prompt) with
        ``RECOVER_CONTEXT_S`` of audio either side; only words centred inside a gap, and
        not mostly over a known word, are returned.
        """
        regions: list[list[Gap]] = []
        for gap in gaps:
            if regions and gap.start - regions[-1][-1].end < 2 * RECOVER_CONTEXT_S:
                regions[-1].append(gap)
            else:
                regions.append([gap])
        duration = audio.size / SAMPLE_RATE
        found: list[Word] = []
        for region in regions:
            a = max(0.0, region[0].start - RECOVER_CONTEXT_S)
            b = min(duration, region[-1].end + RECOVER_CONTEXT_S)
            before = [w for w in words if w.end <= region[0].start]
            options = replace(
                self.options, vad=False, initial_prompt=self.recover_prompt(before),
                fillers=False, condition_on_previous_text=False,
            )
            from starcoach.speech.decode_session import DecodeSession

            sub = DecodeSession(self.model, options)
            sub.feed(audio[round(a * SAMPLE_RATE) : round(b * SAMPLE_RATE)])
            sub.finish()
            sub.run(cancel)
            for w in tidy_words(sub.words, b - a):
                w = Word(w.text, round(w.start + a, 3), round(w.end + a, 3))
                mid = (w.start + w.end) / 2
                if not any(g.start - 0.05 <= mid <= g.end + 0.05 for g in region):
                    continue
                if any(overlaps(w, k) or repeats(w, k) for k in (*words, *found)):
                    continue
                found.append(clear_of(w, words))
        return found


def clear_of(w: Word, words: Sequence[Word]) -> Word:
    """``w`` trimmed off the known ``words`` it touches, so that adding it never moves a
    committed word (the quick transcript and the exact one keep the same committed words)."""
    start = max([w.start, *(k.end for k in words if k.start <= w.start < k.end)])
    end = min([w.end, *(k.start for k in words if start < k.start < w.end)])
    return w if (start, end) == (w.start, w.end) else Word(w.text, start, max(start, end), w.kind)
