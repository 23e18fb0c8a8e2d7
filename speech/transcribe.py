"""Whisper transcription with word timing: one decoding loop for files and for live audio.

``DecodeSession`` is faster-whisper's sequential 30-second window loop (same encoder,
prompting, temperature fallback, segment splitting and word alignment, built from
faster-whisper's own pieces) run over the causal speech timeline of :mod:`.vad`. It can be
fed all at once (a file) or block by block (a microphone): a window is only decoded once all
of its audio has arrived, so both ways decode identical windows and give identical words.

The spectrogram is faster-whisper's own for a whole file and the main pass is unprompted,
so a file's windows read and decode exactly what bare ``WhisperModel.transcribe`` does.
Each committed window is decoded once more, greedily, on the same encoder output with the
disfluent :data:`FILLER_PROMPT` leading; only the fillers that pass writes are kept.

After decoding, every voiced stretch that no word covers (:func:`.fillers.voiced_gaps`) of
0.4 s or more is decoded again on its own, with a little audio either side and the words
before it as the prompt, and the words found there are kept; what is still uncovered
becomes a filler only if it sounds like one, and otherwise an explicit unrecognised-speech
span (:func:`complete_gaps`). So no stretch of speech silently disappears.

Live use adds two things batch never needs: ``provisional`` decodes any span of the timeline
greedily without changing the session (for the display and the first report at Stop), and a
``cancel`` callable lets a decode be abandoned between model calls (encoder, decoder, word
alignment), leaving the session exactly as it was.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.errors import AudioError, ModelUnavailable
from starcoach.speech.fillers import (
    FillerOptions,
    Gap,
    label_gaps,
    merge_fillers,
    voiced_gaps,
)
from starcoach.speech.vad import SpeechTimeline, VadOptions

# Short and disfluent on purpose: it nudges Whisper to write "um"/"uh" instead of dropping
# them. It conditions only the re-decoding of gaps: as the prompt of the main pass it made
# tiny.en decode whole 30 s windows without timestamps and skip sentences in them.
FILLER_PROMPT = "Um, so, uh, I, like, you know, handled it."

# Fillers as Whisper writes them, and how much of the committed text follows the filler
# prompt in the prompted pass.
FILLER_TEXT = re.compile(r"u+h*m*|u+m+|e+r+m+|hm+|m+h?m+")
FILLER_PASS_CONTEXT_TOKENS = 120
# Gaps decoded again: this much audio either side, and this many words before as prompt.
RECOVER_CONTEXT_S = 1.0
MIN_WORD_S = 0.08  # a word cut back around a filler keeps at least this much
FILLER_GUESS_S = 0.3  # how long a written filler is taken to last where nothing says
RECOVER_PROMPT_WORDS = 24

HOP = 160
N_FRAMES = 3000  # one 30 s window, in 10 ms frames
N_SAMPLES = N_FRAMES * HOP
LOOKAHEAD_FRAMES = 3  # a window's last spectrogram frames read this far past it
END_PADDING = 160  # faster-whisper pads a file's end with this many zeros


@dataclass(frozen=True)
class TranscribeOptions:
    """Decoding settings. Defaults are faster-whisper's, plus VAD and the gap pass."""

    beam_size: int = 5
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    initial_prompt: str | None = None
    recover_prompt: str | None = FILLER_PROMPT  # leads the prompt of the filler pass and gaps
    filler_pass: bool = True  # each window decoded again, prompted, for the fillers it writes
    condition_on_previous_text: bool = True
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    max_new_tokens: int | None = None  # per window; benchmarks cap it
    vad: bool = True
    vad_options: VadOptions = field(default_factory=VadOptions)
    fillers: bool = True  # label the voiced gaps between words (fillers, unrecognised)
    recover_gaps: bool = True  # ... after decoding each of them again for words
    filler_options: FillerOptions = field(default_factory=FillerOptions)


@dataclass(frozen=True)
class Transcript:
    """Timed words (fillers included, in time order) and the audio's duration in seconds."""

    words: list[Word]
    duration: float


class DecodeCancelled(Exception):
    """A decode was abandoned between model calls because its ``cancel()`` said so."""


Cancel = Callable[[], bool] | None
Progress = Callable[[float, float], None] | None  # (done_s, total_s) of a pass


@dataclass(frozen=True)
class TimedWord:
    """A decoded word in source time, with its span on the speech timeline (seconds)."""

    word: Word
    tl_start: float
    tl_end: float


@dataclass(frozen=True)
class Provisional:
    """Words decoded greedily for ``[start, end)`` (timeline frames), not committed."""

    words: list[TimedWord]
    start: int
    end: int


@dataclass(frozen=True)
class _Window:
    words: list[TimedWord]
    seek: int
    tokens_by_segment: list[list[int]]
    temperature: float
    fillers: list[Word] = field(default_factory=list)
    filler_tokens: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Snapshot:
    """A session's state before one committed window, and the floor that window read."""

    seek: int
    tokens: int
    prompt_reset_since: int
    last_speech_timestamp: float
    words: int
    fillers: int
    filler_tokens: int
    mel_max: float


class WordRecogniser(Protocol):
    """Anything that turns 16 kHz mono audio into timed words (the model, or a test double)."""

    def recognise(self, audio: np.ndarray) -> list[Word]: ...


@functools.lru_cache(maxsize=4)
def load_whisper(model_dir: str, cpu_threads: int = 0, compute_type: str = "int8") -> Any:
    """Load (once per process) a faster-whisper model from a local folder, never the network.

    A folder whose files are damaged (a random or truncated ``model.bin``, a bad
    ``config.json`` or tokenizer) raises :class:`ModelUnavailable` naming the folder.
    """
    from faster_whisper import WhisperModel

    check_model_config(Path(model_dir))
    try:
        return WhisperModel(
            model_dir,
            device="cpu",
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            local_files_only=True,
        )
    except Exception as exc:  # ctranslate2, tokenizers and json each raise their own
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelUnavailable(
            f"{model_dir}: the speech model cannot be loaded ({reason}); copy the whole "
            "model folder again or run `starcoach models download NAME`") from None


_INT_LISTS = ("suppress_ids", "suppress_ids_begin", "lang_ids")


def check_model_config(model_dir: Path) -> None:
    """Refuse a ``config.json`` whose fields have the wrong shape before CTranslate2 reads
    them: given, say, a string for ``alignment_heads`` it can crash the process (a
    segmentation fault, not an exception), so the person would get no line at all."""
    path = model_dir / "config.json"
    if not path.is_file():
        return  # CTranslate2 names a missing file itself
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelUnavailable(f"{model_dir}: config.json cannot be read ({str(exc)[:120]}); "
                               "copy the whole model folder again") from None

    def whole(v: object) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << 31

    problem = None
    if not isinstance(config, dict):
        problem = "it is not a JSON object"
    else:
        heads = config.get("alignment_heads")
        if heads is not None and not (isinstance(heads, list) and all(
                isinstance(h, list) and len(h) == 2 and all(whole(x) for x in h)
                for h in heads)):
            problem = "alignment_heads is not a list of [layer, head] pairs"
        for key in _INT_LISTS:
            value = config.get(key)
            if value is not None and not (isinstance(value, list)
                                          and all(whole(x) for x in value)):
                problem = f"{key} is not a list of token ids"
    if problem:
        raise ModelUnavailable(f"{model_dir}: the speech model's config.json is damaged "
                               f"({problem}); copy the whole model folder again")


class DecodeSession:
    """Incremental Whisper decoding of one answer; see the module docstring.

    Not thread-safe: one thread feeds and steps it. ``words`` holds the committed words
    (source time, no fillers); they never change once there.
    """

    def __init__(self, model: Any, options: TranscribeOptions) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

        self.model = model
        self.options = options
        self.tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en"
        )
        self.fw_options = TranscriptionOptions(
            beam_size=options.beam_size,
            best_of=5,
            patience=1,
            length_penalty=1,
            repetition_penalty=1,
            no_repeat_ngram_size=0,
            log_prob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            compression_ratio_threshold=options.compression_ratio_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            prompt_reset_on_temperature=0.5,
            temperatures=list(options.temperatures),
            initial_prompt=options.initial_prompt,
            prefix=None,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(self.tokenizer, [-1]),
            without_timestamps=False,
            max_initial_timestamp=1.0,
            word_timestamps=True,
            prepend_punctuations="\"'“¿([{-",
            append_punctuations="\"'.。,，!！?？:：”)]}、",
            multilingual=False,
            max_new_tokens=options.max_new_tokens,
            clip_timestamps=[],
            hallucination_silence_threshold=None,
            hotwords=None,
        )
        self.timeline = SpeechTimeline(options.vad_options, enabled=options.vad)
        self.seek = 0  # frames on the speech timeline
        self.all_tokens: list[int] = []
        if options.initial_prompt:
            self.all_tokens.extend(self.tokenizer.encode(" " + options.initial_prompt.strip()))
        self.prompt_reset_since = 0
        self.last_speech_timestamp = 0.0
        self.mel_max = -10.0  # loudest log-mel value of the audio fed so far ...
        self._mel_frames = 0  # ... measured over this many timeline frames
        self._history: list[_Snapshot] = []  # the state before each committed window
        self.windows_rewound = 0  # windows decoded again at finish() (louder audio later)
        self.words: list[Word] = []
        self.fillers: list[Word] = []  # fillers the prompted pass wrote (source time)
        self.filler_tokens: list[int] = []  # the prompted pass's own text so far
        self.windows_decoded = 0

    # -- input -----------------------------------------------------------------------------
    def feed(self, samples: np.ndarray) -> None:
        """Append 16 kHz mono float32 source audio."""
        self.timeline.feed(samples)

    def finish(self) -> None:
        """Mark the end of the audio: the last window may now be decoded short.

        If the loudest moment came after some window was decoded (live), that window read
        a different spectrogram floor than a batch pass would: the session goes back to the
        first such window, so the rest decodes exactly as a batch pass does.
        """
        self.timeline.finish()
        self._measure_loudest()
        stale = next((k for k, snap in enumerate(self._history) if snap.mel_max != self.mel_max),
                     None)
        if stale is not None:
            snap = self._history[stale]
            self.windows_rewound += len(self._history) - stale
            del self._history[stale:]
            self.seek = snap.seek
            del self.all_tokens[snap.tokens :]
            self.prompt_reset_since = snap.prompt_reset_since
            self.last_speech_timestamp = snap.last_speech_timestamp
            del self.words[snap.words :]
            del self.fillers[snap.fillers :]
            del self.filler_tokens[snap.filler_tokens :]

    @property
    def content_frames(self) -> int:
        return self.timeline.timeline.size // HOP

    def pending(self) -> bool:
        """Whether a window is ready to decode (a full one, or any rest once finished)."""
        if self.timeline.finished:
            return self.seek < self.content_frames
        return self.seek + N_FRAMES + LOOKAHEAD_FRAMES <= self.content_frames

    def step(self, cancel: Cancel = None) -> list[Word]:
        """Decode the next ready window; returns the words it committed (maybe none).

        If ``cancel()`` turns true between model calls, raises :class:`DecodeCancelled` and
        the session is unchanged (the window is decoded again by a later ``step``).
        """
        if not self.pending():
            return []
        segment_size = min(N_FRAMES, self.content_frames - self.seek)
        before = _Snapshot(self.seek, len(self.all_tokens), self.prompt_reset_since,
                           self.last_speech_timestamp, len(self.words), len(self.fillers),
                           len(self.filler_tokens), 0.0)
        window = self._decode_window(
            self.seek,
            segment_size,
            self.all_tokens[self.prompt_reset_since :],
            self.fw_options,
            cancel,
            filler_pass=self.options.fillers and self.options.filler_pass,
        )
        for tokens in window.tokens_by_segment:
            self.all_tokens.extend(tokens)
        if not self.options.condition_on_previous_text or window.temperature > 0.5:
            self.prompt_reset_since = len(self.all_tokens)
        self.seek = window.seek
        self.windows_decoded += 1
        self._history.append(replace(before, mel_max=self.mel_max))
        words = [w.word for w in window.words]
        self.words.extend(words)
        self.fillers.extend(window.fillers)
        self.filler_tokens.extend(window.filler_tokens)
        return words

    def run(self, cancel: Cancel = None, progress: Progress = None) -> list[Word]:
        """Decode every ready window; returns the words committed.

        ``progress(done_s, total_s)`` (source seconds, never decreasing) is called after
        each model call, so a caller can show how far the pass has got.
        """
        out: list[Word] = []
        best = 0.0

        def report(frames: float) -> None:
            nonlocal best
            total = self.timeline.source_duration
            done = min(total, self.timeline.to_source_time(frames / (SAMPLE_RATE // HOP), True))
            if progress is not None and done > best:
                best = done
                progress(done, total)

        while self.pending():
            if progress is None:
                out.extend(self.step(cancel))
                continue
            start, calls = self.seek, 0
            end = min(self.content_frames, start + N_FRAMES)

            def check(start: int = start, end: int = end) -> bool:
                nonlocal calls  # one more model call done: move part of the way on
                report(start + (end - start) * min(calls, 4) / 5)
                calls += 1
                return cancel is not None and cancel()

            out.extend(self.step(check))
            report(self.seek)
        return out

    def prompt_tokens(self, text: str = "") -> list[int]:
        """The committed text's prompt tokens, then ``text`` (provisional words) encoded."""
        tokens = self.all_tokens[self.prompt_reset_since :]
        if text.strip():
            tokens = tokens + self.tokenizer.encode(" " + text.strip())
        return tokens

    def provisional(
        self,
        start: int | None = None,
        frames: int | None = None,
        *,
        previous_tokens: list[int] | None = None,
        beam_size: int = 1,
        cancel: Cancel = None,
    ) -> Provisional:
        """Greedy words for ``frames`` timeline frames from ``start`` (default: everything
        after the last committed window, at most one window), without committing them.

        For the live display and the first report at Stop; the session does not change.
        """
        start = self.seek if start is None else start
        available = self.content_frames - start
        frames = min(N_FRAMES, available if frames is None else min(frames, available))
        if frames <= 0:
            return Provisional([], start, start)
        opts = replace(self.fw_options, beam_size=beam_size, temperatures=[0.0])
        if previous_tokens is None:
            previous_tokens = self.prompt_tokens()
        saved = self.last_speech_timestamp
        try:
            window = self._decode_window(start, frames, previous_tokens, opts, cancel)
        finally:
            self.last_speech_timestamp = saved
        return Provisional(window.words, start, start + frames)

    # -- one window ------------------------------------------------------------------------
    def _decode_window(
        self,
        seek: int,
        segment_size: int,
        previous_tokens: list[int],
        opts: Any,
        cancel: Cancel = None,
        filler_pass: bool = False,
    ) -> _Window:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.utils import get_end

        def check() -> None:
            if cancel is not None and cancel():
                raise DecodeCancelled

        model = self.model
        fe = model.feature_extractor
        check()
        self._measure_loudest()
        log_mel = self._log_mel(seek, segment_size)
        features = (np.maximum(log_mel, self.mel_max - 8.0) + 4.0) / 4.0
        encoder_output = model.encode(pad_or_trim(features))
        check()
        prompt = model.get_prompt(self.tokenizer, previous_tokens, without_timestamps=False)
        result, avg_logprob, temperature, _ = model.generate_with_fallback(
            encoder_output, prompt, self.tokenizer, opts
        )
        silent = (
            opts.no_speech_threshold is not None
            and result.no_speech_prob > opts.no_speech_threshold
            and (opts.log_prob_threshold is None or avg_logprob <= opts.log_prob_threshold)
        )
        if silent:  # skip the whole window, as faster-whisper does
            return _Window([], seek + segment_size, [], temperature)
        time_offset = seek * fe.time_per_frame
        segments, new_seek, single_ending = model._split_segments_by_timestamps(
            tokenizer=self.tokenizer,
            tokens=result.sequences_ids[0],
            time_offset=time_offset,
            segment_size=segment_size,
            segment_duration=segment_size * fe.time_per_frame,
            seek=seek,
        )
        check()
        self.last_speech_timestamp = (
            model.add_word_timestamps(
                [segments],
                self.tokenizer,
                encoder_output,
                segment_size,
                opts.prepend_punctuations,
                opts.append_punctuations,
                last_speech_timestamp=self.last_speech_timestamp,
            )
            or self.last_speech_timestamp
        )
        if not single_ending:
            last_word_end = get_end(segments)
            if last_word_end is not None and last_word_end > time_offset:
                new_seek = round(last_word_end * model.frames_per_second)
        if new_seek <= seek:  # never stall on a window
            new_seek = seek + segment_size
        words: list[TimedWord] = []
        tokens_by_segment: list[list[int]] = []
        for seg in segments:
            text = self.tokenizer.decode(seg["tokens"])
            if seg["start"] == seg["end"] or not text.strip():
                continue
            tokens_by_segment.append(seg["tokens"])
            for w in seg.get("words", []):
                word = self._to_source(w["word"], w["start"], w["end"])
                words.append(TimedWord(word, w["start"], max(w["end"], w["start"])))
        fillers: list[Word] = []
        filler_tokens: list[int] = []
        if filler_pass:
            check()
            upto = new_seek * fe.time_per_frame
            fillers, filler_tokens = self._prompted_fillers(
                encoder_output, seek, segment_size, opts, upto, [w.word for w in words]
            )
        return _Window(words, new_seek, tokens_by_segment, temperature, fillers, filler_tokens)

    def _measure_loudest(self) -> None:
        """Bring ``mel_max`` up to date with the audio fed so far.

        faster-whisper clamps a file's spectrogram at 8 below its loudest frame, and tiny.en
        words change with that floor. A file is fed whole before its first window, so this
        is the file's own loudest frame and every window reads what bare faster-whisper
        reads; live, it is the loudest frame heard so far when the window is decoded.
        """
        end = self.content_frames - (0 if self.timeline.finished else LOOKAHEAD_FRAMES)
        for first in range(self._mel_frames, end, N_FRAMES):
            count = min(N_FRAMES, end - first)
            self.mel_max = max(self.mel_max, float(self._log_mel(first, count).max()))
        self._mel_frames = max(self._mel_frames, end)

    def _log_mel(self, first: int, count: int) -> np.ndarray:
        """Log10 mel frames ``[first, first + count)`` of the timeline, before clamping.

        Computed as faster-whisper computes a whole file's (reflected edges, the end padded
        with zeros), so each frame equals bare faster-whisper's; computing each 30 s
        window's spectrogram on its own, as before, changed its edges and its clamp, and
        with them tiny.en's words. The clamp is the caller's (:meth:`_measure_loudest`).
        """
        fe = self.model.feature_extractor
        tl = self.timeline.timeline
        half = fe.n_fft // 2
        a = first * HOP - half  # timeline sample of the first frame's first sample
        b = (first + count - 1) * HOP + half  # ... and one past the last frame's last
        pieces = []
        if a < 0:
            pieces.append(tl[1 : 1 - a][::-1])  # reflected, as np.pad(mode="reflect")
        pieces.append(tl[max(0, a) : min(tl.size, b)])
        if b > tl.size:
            if self.timeline.finished:  # the file's end: zeros, then reflected
                end = np.concatenate([tl[-(half + 1) :], np.zeros(END_PADDING, np.float32)])
                beyond = b - tl.size
                tail = end[-END_PADDING:][: beyond]
                if beyond > END_PADDING:
                    k = np.arange(beyond - END_PADDING)
                    tail = np.concatenate([tail, end[end.size - 2 - k]])
                pieces.append(tail)
            else:  # the live edge (display decodes only): silence
                pieces.append(np.zeros(b - max(tl.size, a), np.float32))
        x = np.concatenate(pieces).astype(np.float32)
        window = np.hanning(fe.n_fft + 1)[:-1].astype("float32")
        stft = fe.stft(x, fe.n_fft, HOP, window=window, center=False, return_complex=True)
        power = np.abs(stft[..., :count]) ** 2
        return np.log10(np.clip(fe.mel_filters @ power, 1e-10, None))

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

    def _to_source(self, text: str, start: float, end: float) -> Word:
        s, e = self.timeline.span_to_source(start, end)
        return Word(text.strip(), round(s, 3), round(max(e, s), 3))

    # -- results ---------------------------------------------------------------------------
    def final_words(self, cancel: Cancel = None) -> list[Word]:
        """Committed words made monotonic and clipped to the audio, the voiced gaps between
        them decoded again (abandoned like a step if ``cancel()``), and what is left
        labelled as fillers or unrecognised speech."""
        duration = self.timeline.source_duration
        words = tidy_words(self.words, duration)
        if not self.options.fillers:
            return words
        words = add_written_fillers(words, tidy_words(self.fillers, duration))
        recover = (functools.partial(self.recover_words, cancel=cancel)
                   if self.options.recover_gaps else None)
        return complete_gaps(self.timeline.source, words, self.options, recover)

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
            sub = DecodeSession(self.model, options)
            sub.feed(audio[round(a * SAMPLE_RATE) : round(b * SAMPLE_RATE)])
            sub.finish()
            sub.run(cancel)
            for w in tidy_words(sub.words, b - a):
                w = Word(w.text, round(w.start + a, 3), round(w.end + a, 3))
                mid = (w.start + w.end) / 2
                if not any(g.start - 0.05 <= mid <= g.end + 0.05 for g in region):
                    continue
                if any(_overlaps(w, k) or _repeats(w, k) for k in (*words, *found)):
                    continue
                found.append(w)
        return found


def _overlaps(a: Word, b: Word) -> bool:
    """Whether two words share more than a third of the shorter one's time."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > max(0.02, min(a.end - a.start, b.end - b.start) / 3)


def add_written_fillers(words: Sequence[Word], fillers: Sequence[Word]) -> list[Word]:
    """``words`` with the prompted pass's ``fillers`` added, in time order.

    A filler where the main pass already wrote one is dropped. A word that Whisper's
    alignment stretched over the filler is cut back to where the filler begins (or resumes
    after it ends), as long as some of the word is left.
    """
    out = list(words)
    for f in fillers:
        hit = [k for k, w in enumerate(out) if w.end > f.start and w.start < f.end]
        if any(FILLER_TEXT.fullmatch(normalise_filler(out[k].text)) for k in hit):
            continue
        for k in hit:
            w = out[k]
            if w.start < f.start and f.start - w.start >= MIN_WORD_S:
                out[k] = Word(w.text, w.start, f.start, w.kind)
            elif w.end > f.end and w.end - f.end >= MIN_WORD_S:
                out[k] = Word(w.text, f.end, w.end, w.kind)
        out.append(f)
    return sorted(out, key=lambda w: (w.start, w.end))


def place_fillers(prompted: Sequence[str], words: Sequence[Word]) -> list[Word]:
    """Fillers of the prompted pass's text (``prompted``, normalised words in order) placed
    among the main pass's ``words`` of the same window, by aligning the two texts.

    Its own word times are rougher than the main pass's, so each filler goes after the main
    word aligned with the prompted word before it: into the pause after that word, or over
    the end of it where the aligner stretched it across the filler (the word is cut back
    later, :func:`add_written_fillers`).
    """
    plain = [k for k, t in enumerate(prompted) if not FILLER_TEXT.fullmatch(t)]
    main = [normalise_filler(w.text) for w in words]
    matcher = difflib.SequenceMatcher(a=[prompted[k] for k in plain], b=main, autojunk=False)
    to_main: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            to_main[plain[block.a + n]] = block.b + n
    out: list[Word] = []
    for k, text in enumerate(prompted):
        if not FILLER_TEXT.fullmatch(text) or not words:
            continue
        anchor = max((j for j in to_main if j < k), default=None)
        if anchor is None:  # before the first word
            nxt = words[0]
            start = max(0.0, nxt.start - FILLER_GUESS_S)
            out.append(Word(text, round(start, 3), round(nxt.start, 3), "filler"))
            continue
        i = to_main[anchor]
        prev, nxt = words[i], (words[i + 1] if i + 1 < len(words) else None)
        room = (nxt.start if nxt is not None else prev.end + FILLER_GUESS_S) - prev.end
        if room >= 0.1:
            start, end = prev.end, prev.end + min(room, FILLER_GUESS_S)
        else:
            start = max(prev.start + MIN_WORD_S, prev.end - FILLER_GUESS_S)
            end = max(prev.end, start + 0.05)
        out.append(Word(text, round(start, 3), round(end, 3), "filler"))
    return out


def normalise_filler(text: str) -> str:
    return text.strip(" ,.?!").lower()


def _repeats(a: Word, b: Word) -> bool:
    """Whether ``a`` is ``b`` again, timed a little apart (alignment differs per decode)."""
    same = normalise_filler(a.text) == normalise_filler(b.text)
    return same and abs(a.start - b.start) < 0.6


Recover = Callable[[np.ndarray, Sequence[Word], Sequence[Gap]], list[Word]]


def complete_gaps(
    audio: np.ndarray,
    words: Sequence[Word],
    options: TranscribeOptions,
    recover: Recover | None = None,
) -> list[Word]:
    """``words`` with every voiced gap between them accounted for.

    ``recover`` (the model decoding gaps of ``min_redecode_s`` or more again) adds the
    words it finds; each gap still
    left becomes a filler if it sounds like a filled pause, an unrecognised-speech span
    otherwise (:func:`.fillers.label_gaps`).
    """
    o = options.filler_options
    words = list(words)
    gaps = voiced_gaps(audio, words, o)
    # a gap too short to hold a word (the edge of one, a filler) is not worth a decode
    long = [g for g in gaps if g.duration >= o.min_redecode_s]
    if recover is not None and long:
        extra = recover(audio, words, long)
        if extra:
            words = tidy_words(merge_fillers(words, extra), audio.size / SAMPLE_RATE)
            gaps = voiced_gaps(audio, words, o)
    return merge_fillers(words, label_gaps(audio, gaps, o))


def tidy_words(words: Sequence[Word], duration: float) -> list[Word]:
    """Drop empty words; clip times to ``[0, duration]``; make starts non-decreasing."""
    out: list[Word] = []
    last = 0.0
    for w in words:
        if not w.text:
            continue
        start = min(max(w.start, last, 0.0), duration)
        end = min(max(w.end, start), duration)
        out.append(Word(w.text, round(start, 3), round(end, 3), w.kind))
        last = start
    return out


class Transcriber:
    """Batch transcription of a file or array with a local faster-whisper model.

    ``model`` is a model name or folder, resolved offline by :func:`.models.resolve_model`
    (raises :class:`ModelUnavailable`). Loading is done once per process and folder.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        options: TranscribeOptions | None = None,
        *,
        cpu_threads: int = 0,
    ) -> None:
        from starcoach.speech.models import resolve_model

        self.model_dir = resolve_model(model)
        self.options = options or TranscribeOptions()
        self.whisper = load_whisper(str(self.model_dir), cpu_threads)
        self._lock = threading.Lock()

    def session(self) -> DecodeSession:
        """A fresh incremental session on this model (for live transcription)."""
        return DecodeSession(self.whisper, self.options)

    def recognise(self, audio: np.ndarray) -> list[Word]:
        """Model words for ``audio`` (16 kHz mono), without fillers."""
        with self._lock:
            session = self.session()
            session.feed(audio)
            session.finish()
            session.run()
            return tidy_words(session.words, session.timeline.source_duration)

    def recover_words(self, audio: np.ndarray, words: Sequence[Word], gaps: Sequence[Gap]
                      ) -> list[Word]:
        """Words found by decoding the voiced ``gaps`` of ``audio`` again (see
        :meth:`DecodeSession.recover_words`)."""
        with self._lock:
            return self.session().recover_words(audio, words, gaps)

    def transcribe(self, audio: np.ndarray | str | Path, *, cancel: Cancel = None,
                   progress: Progress = None) -> Transcript:
        """Timed words for a file or a 16 kHz mono array: the main pass's words, the
        fillers the prompted pass wrote, and every voiced gap accounted for.

        ``cancel()`` turning true abandons it between model calls (:class:`DecodeCancelled`);
        ``progress(done_s, total_s)`` follows the main pass and ends at the whole audio."""
        samples = _samples(audio)
        with self._lock:
            session = self.session()
            session.feed(samples)
            session.finish()
            session.run(cancel, progress)
            words = session.final_words(cancel)
        duration = samples.size / SAMPLE_RATE
        if progress is not None:  # gaps decoded again too: the pass is done
            progress(duration, duration)
        return Transcript(words, duration)


def _samples(audio: np.ndarray | str | Path) -> np.ndarray:
    samples = audio if isinstance(audio, np.ndarray) else decode_audio(audio)
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        raise AudioError("the audio contains no samples")
    return samples


def transcribe_with(
    recogniser: WordRecogniser,
    audio: np.ndarray | str | Path,
    options: TranscribeOptions | None = None,
    cancel: Cancel = None,
) -> Transcript:
    """Run ``recogniser`` on ``audio`` and account for the voiced gaps (the double's entry
    too). A recogniser with a ``recover_words`` method (the model) decodes gaps again.
    ``cancel()`` is asked before and after recognising (:class:`DecodeCancelled`)."""
    options = options or TranscribeOptions()
    samples = _samples(audio)
    duration = samples.size / SAMPLE_RATE
    if cancel is not None and cancel():
        raise DecodeCancelled
    words = tidy_words(recogniser.recognise(samples), duration)
    if cancel is not None and cancel():
        raise DecodeCancelled
    if options.fillers:
        recover = getattr(recogniser, "recover_words", None) if options.recover_gaps else None
        words = complete_gaps(samples, words, options, recover)
    return Transcript(words, duration)
