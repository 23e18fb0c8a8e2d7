"""Batch transcription: real faster-whisper on the random-weight model, real espeak speech.

The model hears noise, so these tests check structure (times, order, seams, pauses). Where
the words matter (fillers), a double returns the words known to be in the audio.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import KnownWordsRecogniser, build_answer, silence, speak
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.decoding import FILLER_PROMPT, STRETCHED_WORD_S
from starcoach.speech.errors import AudioError
from starcoach.speech.fillers import detect_fillers
from starcoach.speech.transcribe import (
    TranscribeOptions,
    Transcriber,
    transcribe_with,
)
from starcoach.speech.vad import SpeechTimeline

DETERMINISTIC = TranscribeOptions(temperatures=(0.0,), max_new_tokens=60)


@pytest.fixture(scope="module")
def transcriber(test_model) -> Transcriber:
    return Transcriber(test_model, DETERMINISTIC, cpu_threads=2)


def longest_silence(audio: np.ndarray) -> tuple[float, float]:
    quiet = np.concatenate([[False], np.abs(audio) < 1e-4, [False]])
    edges = np.flatnonzero(quiet[1:] != quiet[:-1])
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    start, stop = max(runs, key=lambda r: r[1] - r[0])
    return start / SAMPLE_RATE, stop / SAMPLE_RATE


def assert_well_formed(words: list[Word], duration: float) -> None:
    assert words, "the model produced no words"
    for w in words:
        assert 0.0 <= w.start <= w.end <= duration + 1e-6, w
        assert w.text == w.text.strip() and w.text
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_file_transcription_gives_timed_words_inside_the_audio_in_order(
    transcriber, spoken_answer_path
):
    result = transcriber.transcribe(spoken_answer_path)
    duration = decode_audio(spoken_answer_path).size / SAMPLE_RATE
    assert result.duration == pytest.approx(duration)
    assert_well_formed(result.words, result.duration)
    assert {w.kind for w in result.words} <= {"word", "filler", "unrecognised"}
    # noise makes the aligner stretch words; none keeps more than a spoken word could last
    assert max(w.end - w.start for w in result.words if w.kind == "word") <= STRETCHED_WORD_S


def test_no_word_is_placed_inside_a_long_pause(transcriber, spoken_answer_path):
    """VAD cuts long silences out before Whisper, so no word can be timed inside one."""
    audio = decode_audio(spoken_answer_path)
    start, stop = longest_silence(audio)
    assert stop - start > 7.5
    pad = DETERMINISTIC.vad_options.speech_pad_s + 0.05
    words = transcriber.transcribe(audio).words
    inside = [w for w in words if w.end > start + pad and w.start < stop - pad]
    assert inside == []
    assert any(w.start >= stop - pad for w in words), "speech after the pause was lost"


def test_feeding_block_by_block_gives_the_batch_words_across_window_seams(transcriber):
    """Several 30 s windows: words at every seam survive, identical however audio arrives."""
    sentence = speak("I traced the failure to a lock held by the import job and fixed it.")
    audio = np.concatenate([np.concatenate([sentence, silence(0.4)]) for _ in range(22)])
    assert audio.size / SAMPLE_RATE > 70
    batch = transcriber.transcribe(audio).words

    session = transcriber.session()
    rng = np.random.default_rng(7)
    i = 0
    while i < audio.size:
        n = int(rng.integers(160, 8000))
        session.feed(audio[i : i + n])
        session.run()
        i += n
    windows_before_end = session.windows_decoded
    session.finish()
    session.run()

    assert windows_before_end >= 2, "windows must be decoded while audio is still arriving"
    assert session.final_words() == batch
    assert_well_formed(batch, audio.size / SAMPLE_RATE)
    assert batch[-1].end > audio.size / SAMPLE_RATE - 10, "the last window was dropped"


def test_the_speech_timeline_keeps_up_with_speech_and_equals_a_whole_file_pass():
    """Fed as a microphone delivers it, the speech timeline trails the audio by under one VAD
    window while someone speaks (a person's last words are on it when they press Stop), and
    it is the very timeline a whole-file pass builds."""
    sentence = speak("I traced the failure to a lock held by the import job and fixed it.")
    parts = [sentence, silence(0.6), sentence, silence(2.5), sentence]
    audio = np.concatenate(parts)
    edges = np.cumsum([0] + [p.size for p in parts])
    speaking = [(edges[k] + SAMPLE_RATE // 2, edges[k + 1]) for k in (0, 2, 4)]  # 0.5 s in
    whole = SpeechTimeline()
    whole.feed(audio)
    whole.finish()

    live = SpeechTimeline()
    lags = []
    block = SAMPLE_RATE // 10
    for i in range(0, audio.size, block):
        live.feed(audio[i : i + block])
        if any(a <= i + block <= b for a, b in speaking):
            end = live.to_source_time(live.timeline.size / SAMPLE_RATE, is_end=True)
            lags.append(live.source_duration - end)
    live.finish()
    assert lags and max(lags) < 0.1
    assert np.array_equal(live.timeline, whole.timeline)
    assert live.regions() == whole.regions()
    assert live.voiced_until == pytest.approx(whole.voiced_until)
    assert audio.size / SAMPLE_RATE - 0.3 < whole.voiced_until <= audio.size / SAMPLE_RATE


@pytest.mark.parametrize("block", [1600, 1000, 4096])
def test_in_a_pause_the_speech_ends_where_the_voice_stopped_whatever_the_block(block):
    """Live, a pause reads as a pause: the speech end stays where the voice stopped while
    silence comes in, though the VAD has not yet read the last part-window of it (the live
    display decodes the last words then, so they are ready when Stop is pressed)."""
    sentence = speak("I traced the failure to a lock held by the import job and fixed it.")
    audio = np.concatenate([sentence, silence(1.0)])
    live = SpeechTimeline()
    ends = []
    for i in range(0, audio.size, block):
        live.feed(audio[i : i + block])
        if i + block >= sentence.size + SAMPLE_RATE // 2:  # half a second into the pause
            ends.append(live.voiced_until)
    assert ends and max(ends) < sentence.size / SAMPLE_RATE + 0.3
    live.finish()
    assert live.voiced_until == pytest.approx(min(ends), abs=0.05)


def test_the_main_pass_is_unprompted_and_gaps_are_redecoded_with_the_filler_prompt(
    transcriber,
):
    """The filler prompt made tiny.en decode whole windows without timestamps and skip
    sentences, so the main pass starts unprompted (as bare faster-whisper does); only the
    re-decoding of gaps is led by it, then by the words just before the gap."""
    assert len(FILLER_PROMPT.split()) <= 12 and "um" in FILLER_PROMPT.lower()
    session = transcriber.session()
    assert session.all_tokens == []
    before = [Word(f"w{i}", i, i + 0.5) for i in range(40)] + [Word("um", 40, 40.3, "filler")]
    prompt = session.recover_prompt(before)
    assert prompt == FILLER_PROMPT + " " + " ".join(f"w{i}" for i in range(16, 40))


def test_empty_audio_is_an_audio_error(transcriber):
    with pytest.raises(AudioError):
        transcriber.transcribe(np.zeros(0, dtype=np.float32))


# -- fillers through the gap-detection path, with known words from a double --------------

ANSWER = (
    "I <um> noticed the import job <uh> was failing <pause:1.0> so I <um> rewrote it "
    "<uh> and the failures <um> stopped"
)


def _match(found: list[Word], truth: list[Word], tolerance: float = 0.1) -> None:
    assert len(found) == len(truth), (found, truth)
    for f, t in zip(found, truth, strict=True):
        assert f.kind == "filler"
        assert abs(f.start - t.start) < tolerance and abs(f.end - t.end) < tolerance, (f, t)


def test_vocalised_fillers_between_words_are_reported_with_their_times():
    answer = build_answer(ANSWER)
    double = KnownWordsRecogniser(answer.words)
    result = transcribe_with(double, answer.audio)
    assert double.calls == 1
    words = [w for w in result.words if w.kind == "word"]
    assert [w.text for w in words] == [w.text for w in answer.words]
    assert all(abs(a.start - b.start) < 1e-3 for a, b in zip(words, answer.words, strict=True))
    _match([w for w in result.words if w.kind == "filler"], answer.fillers)
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)


def test_fillers_are_found_over_room_noise():
    answer = build_answer(ANSWER)
    noisy = answer.audio + np.random.default_rng(0).normal(0, 0.003, answer.audio.size).astype(
        np.float32
    )
    fillers = detect_fillers(noisy, answer.words)
    _match(fillers, answer.fillers)


def test_a_filler_whisper_already_wrote_is_not_counted_twice():
    answer = build_answer(ANSWER)
    written = sorted(
        [*answer.words, *(Word("um", f.start, f.end) for f in answer.fillers)],
        key=lambda w: w.start,
    )
    assert detect_fillers(answer.audio, written) == []


def test_a_written_filler_timed_off_by_the_aligner_is_still_its_own_sound():
    """Whisper wrote "um," but its aligner put it just after the sound, squeezed to no
    length: the uncovered sound is that filler, not a second one. Fillers it did not
    write are still found."""
    answer = build_answer(ANSWER)
    first, *rest = answer.fillers
    late = first.end + 0.05
    written = sorted([*answer.words, Word("um,", late, late)], key=lambda w: w.start)
    found = detect_fillers(answer.audio, written)
    _match(found, rest)


def test_a_filler_the_aligner_folded_into_a_word_is_taken_out_of_it():
    """No "um" written and the words on either side stretched over it (the aligner leaves
    no gap): the filled pause inside the word's span is still found, and the word is cut
    back to its own sound. Words stretched over plain pauses hold no filler."""
    answer = build_answer("the failing import <um> job was rewritten <uh> yesterday "
                          "<pause:0.8> and the incidents <um> stopped")
    words = list(answer.words)
    for f in answer.fillers:  # the word before each filler runs on to its end
        k = max(i for i, w in enumerate(words) if w.start < f.start)
        words[k] = Word(words[k].text, words[k].start, f.end + 0.1)
    result = transcribe_with(KnownWordsRecogniser(words), answer.audio)
    _match([w for w in result.words if w.kind == "filler"], answer.fillers)
    spoken = {w.text: w for w in answer.words}
    for w in result.words:
        if w.kind == "word":
            assert w.end <= spoken[w.text].end + 0.35, w  # back to its own sound

    plain = build_answer("we measured the latency <pause:0.6> every hour and fixed it")
    ends = [w.start for w in plain.words[1:]] + [plain.duration]
    stretched = [Word(w.text, w.start, end) for w, end in zip(plain.words, ends, strict=True)]
    assert max(w.end - w.start for w in stretched) > 1.0  # over the 0.6 s pause too
    again = transcribe_with(KnownWordsRecogniser(stretched), plain.audio)
    assert [w for w in again.words if w.kind == "filler"] == []


def test_words_are_never_reported_as_fillers_and_long_dropped_speech_is_not_a_filler():
    answer = build_answer("we measured the latency every hour")
    # Every word known: nothing left over.
    assert detect_fillers(answer.audio, answer.words) == []
    # The recogniser dropped a whole stretch of speech (> 2 s): not a hesitation.
    long_talk = np.concatenate(
        [speak("and then we rolled the release back and measured again carefully"), silence(0.5)]
    )
    assert long_talk.size / SAMPLE_RATE > 2.0
    assert detect_fillers(long_talk, []) == []


def test_silence_and_noise_alone_hold_no_fillers():
    rng = np.random.default_rng(1)
    assert detect_fillers(silence(3.0), []) == []
    assert detect_fillers(rng.normal(0, 0.05, SAMPLE_RATE * 3).astype(np.float32), []) == []


# -- what is not a filler ------------------------------------------------------------------


def test_a_dropped_sentence_is_unrecognised_speech_never_fillers():
    """The recogniser (a double here) misses a whole spoken sentence: the stretch is reported
    as unrecognised speech, and not one "um" is invented in it."""
    before, after = build_answer("I checked the logs"), build_answer("then I fixed it")
    dropped = speak("and nobody had asked me to look at the failing import at all")
    audio = np.concatenate([before.audio, dropped, silence(0.4), after.audio])
    offset = (before.audio.size + dropped.size) / SAMPLE_RATE + 0.4
    known = [*before.words, *(Word(w.text, w.start + offset, w.end + offset) for w in after.words)]
    result = transcribe_with(KnownWordsRecogniser(known), audio)
    assert [w for w in result.words if w.kind == "filler"] == []
    unknown = [w for w in result.words if w.kind == "unrecognised"]
    assert unknown and all(w.text == "…" for w in unknown)
    start, end = before.duration, before.duration + dropped.size / SAMPLE_RATE
    covered = sum(min(end, w.end) - max(start, w.start) for w in unknown)
    assert covered > 0.8 * (end - start), unknown
    assert [w.text for w in result.words if w.kind == "word"] == [w.text for w in known]


def test_a_held_vowel_sounds_like_a_filler_and_a_word_does_not():
    from starcoach.speech.fillers import is_filled_pause, measure_gap, voiced_gaps

    def sound(clip):
        audio = np.concatenate([silence(0.3), clip, silence(0.3)])
        (gap,) = voiced_gaps(audio, [])
        return measure_gap(audio, gap)

    for filler in ("um", "uh"):
        s = sound(speak(filler, speed=150))
        assert is_filled_pause(s), (filler, s)
    for word in ("yesterday", "problem", "customers"):
        s = sound(speak(word, speed=150))
        assert not is_filled_pause(s), (word, s)
        assert s.syllables > 1 or s.spectral_change_db > 1.6, (word, s)


def test_the_edge_of_a_word_is_neither_a_filler_nor_unrecognised():
    """Word times from alignment miss the edges of words: a voiced sliver beside a word
    belongs to that word."""
    answer = build_answer("we measured the latency every hour yesterday")
    long = [w for w in answer.words if w.end - w.start > 0.45]
    assert len(long) >= 3
    # the aligner put each long word's start 0.3 s late: 0.22 s of its sound is uncovered
    late = [Word(w.text, w.start + 0.3, w.end) if w in long else w for w in answer.words]
    result = transcribe_with(KnownWordsRecogniser(late), answer.audio)
    assert [w.kind for w in result.words] == ["word"] * len(late)


def test_a_filler_the_prompted_pass_wrote_is_placed_by_text_and_cuts_the_stretched_word():
    from starcoach.speech.word_repair import add_written_fillers, place_fillers

    # main pass: "at" was stretched over the hesitation; "went" is followed by a pause
    words = [Word("I", 0.0, 0.2), Word("was", 0.2, 0.5), Word("at", 0.5, 1.3),
             Word("a", 1.3, 1.4), Word("store.", 1.4, 1.9), Word("I", 2.5, 2.6),
             Word("went", 2.6, 2.9), Word("home.", 3.6, 4.0)]
    prompted = ["i", "was", "at", "um", "a", "store", "i", "went", "uh", "home"]
    fillers = place_fillers(prompted, words)
    assert [f.text for f in fillers] == ["um", "uh"]
    assert all(f.kind == "filler" for f in fillers)
    um, uh = fillers
    assert 0.5 < um.start < um.end <= 1.3  # over the end of the stretched "at"
    assert 2.9 <= uh.start < uh.end <= 3.6  # in the pause after "went"
    merged = add_written_fillers(words, fillers)
    assert [w.text for w in merged] == ["I", "was", "at", "um", "a", "store.", "I", "went",
                                        "uh", "home."]
    at = merged[2]
    assert at.end == um.start and at.end - at.start >= 0.08


def test_a_filler_both_passes_wrote_is_counted_once():
    """The main pass wrote "um," itself after "said", a little after the pause began: the
    prompted pass's "um" after the same word is that filler, not a second one; a second
    "um" the prompted pass heard there, and one after another word, still count."""
    from starcoach.speech.word_repair import add_written_fillers, place_fillers

    words = [Word("the", 0.0, 0.2), Word("dashboard", 0.2, 0.9), Word("said,", 0.9, 1.3),
             Word("um,", 1.6, 2.1), Word("almost", 2.4, 2.9), Word("everything.", 2.9, 3.6),
             Word("Then", 4.4, 4.7), Word("I", 4.7, 4.8), Word("left.", 4.8, 5.2)]
    prompted = ["the", "dashboard", "said", "um", "almost", "everything", "uh", "then", "i",
                "left"]
    assert [f.text for f in place_fillers(prompted, words)] == ["uh"]
    twice = [*prompted[:3], "um", "um", *prompted[4:]]
    again = place_fillers(twice, words)
    assert [f.text for f in again] == ["um", "uh"]
    merged = add_written_fillers(words, again)
    assert [w.text.strip(",.") for w in merged].count("um") == 2


def test_fillers_written_in_a_row_fill_the_pause_and_no_more():
    """Two hesitations in a long pause are two fillers, one after the other; a decoding loop
    ("uh" sixteen times after one word, as tiny.en wrote on dev-set o11) where the pause
    holds one is one filler; and one carved from a stretched word's end is one at most."""
    from starcoach.speech.word_repair import add_written_fillers, place_fillers

    words = [Word("I", 0.0, 0.2), Word("called", 0.2, 0.6), Word("them.", 0.6, 1.0),
             Word("Then", 1.8, 2.1), Word("we", 2.1, 2.3), Word("met", 2.3, 2.6),
             Word("Sam", 2.9, 3.6), Word("today.", 3.6, 4.0)]
    two = ["i", "called", "them", "um", "uh", "then", "we", "met", "sam", "today"]
    um, uh = place_fillers(two, words)
    assert 1.0 <= um.start < um.end <= uh.start < uh.end <= 1.8
    loop = ["i", "called", "them", "then", "we", "met", *["uh"] * 16, "sam", "today"]
    assert len(place_fillers(loop, words)) == 1  # the 0.3 s pause after "met"
    stretched = ["i", "called", "them", "then", "we", "met", "sam", *["um"] * 3, "today"]
    (carved,) = place_fillers(stretched, words)
    assert 2.9 < carved.start < carved.end <= 3.6
    merged = add_written_fillers(words, place_fillers(loop, words))
    assert sum(w.kind == "filler" for w in merged) == 1


def test_a_filler_squeezed_to_an_instant_beside_a_written_one_is_that_one():
    """Times made monotonic can squeeze a filler placed in an earlier window to an instant
    at the start of one already written there: it is that filler, not another."""
    from starcoach.speech.word_repair import add_written_fillers

    words = [Word("the", 0.0, 0.3), Word("road", 0.3, 0.6), Word("and", 0.9, 1.4)]
    written = Word("um", 0.6, 0.9, "filler")
    merged = add_written_fillers(words, [written, Word("um", 0.6, 0.6, "filler"),
                                         Word("uh", 0.9, 0.9, "filler")])
    assert [w.text for w in merged] == ["the", "road", "um", "and"]
    apart = add_written_fillers(words, [written, Word("uh", 1.2, 1.2, "filler")])
    assert [w.text for w in apart].count("uh") == 1  # inside a word, not beside a filler


def test_merged_transcript_never_overlaps_so_it_reads_back_as_timed_words():
    import itertools
    import json

    from starcoach.rubric.inputs import parse_words_json
    from starcoach.rubric.model import Word
    from starcoach.speech.fillers import merge_fillers

    words = [Word("I", 0.0, 0.3), Word("fixed", 0.5, 1.1), Word("it.", 1.2, 1.5)]
    fillers = [Word("um", 0.9, 1.3, "filler")]  # a filler placed over a word's tail
    merged = merge_fillers(words, fillers)
    assert [w.text for w in merged] == ["I", "fixed", "um", "it."]
    assert all(a.end <= b.start for a, b in itertools.pairwise(merged))
    back = parse_words_json(json.dumps([w.to_json() for w in merged]))
    assert [w.kind for w in back] == ["word", "word", "filler", "word"]


def test_a_filler_written_past_the_windows_last_word_is_not_placed_at_its_end():
    """The prompted pass's text ran past the window's last main word: its "uh" after "and"
    (a word of the next window) was said after "and", not in the pause after "ones"; one
    written right after the last word, or after a word of the window it failed to match,
    is still placed."""
    from starcoach.speech.word_repair import place_fillers

    words = [Word("of", 0.0, 0.2), Word("ordering", 0.2, 0.6), Word("new", 0.6, 0.9),
             Word("ones.", 0.9, 1.3)]
    beyond = ["of", "ordering", "new", "ones", "and", "uh", "i", "wrote"]
    assert place_fillers(beyond, words) == []
    right_after = ["of", "ordering", "new", "ones", "uh", "and", "i", "wrote"]
    (uh,) = place_fillers(right_after, words)
    assert uh.start >= 1.3
    unmatched_inside = ["of", "ordering", "the", "um", "new", "ones"]
    (um,) = place_fillers(unmatched_inside, words)
    assert 0.2 < um.start <= 0.6
