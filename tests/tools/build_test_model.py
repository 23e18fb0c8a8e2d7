"""Build a random-weight Whisper model in faster-whisper's format, without torch.

The model is real as far as faster-whisper and CTranslate2 are concerned (same file layout,
same special tokens, alignment heads for word timing), but its weights are random, so it hears
noise.  Tests use the tiny default (d_model 64, two layers: about a megabyte, built in a
second); benchmarks use ``--dims tiny.en`` or ``--dims base.en``, whose per-window cost
matches the real models'.

    python tests/tools/build_test_model.py OUT_DIR [--dims test|tiny.en|base.en] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

# name: (d_model, encoder layers, decoder layers, heads)
DIMENSIONS: dict[str, tuple[int, int, int, int]] = {
    "test": (64, 2, 2, 2),
    "tiny.en": (384, 4, 4, 6),
    "base.en": (512, 6, 6, 8),
}
N_MELS = 80
N_AUDIO_CTX = 1500
N_TEXT_CTX = 448

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|en|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nospeech|>",
    "<|notimestamps|>",
]
TIMESTAMP_TOKENS = [f"<|{i * 0.02:.2f}|>" for i in range(1501)]

# Whole-word tokens (with their leading space) so that random output splits into words.
_WORD_TEXT = (
    "I we the a and to of it that was in my team so um uh like you know then our "
    "customer data service outage latency failure fix fixed owned built wrote "
    "shipped measured reduced increased percent hours days weeks week month dollars "
    "problem project release deploy rollback alarm dashboard metric on call page "
    "paged root cause learned lesson next time because impact result situation task "
    "action decided asked manager engineer nobody outside scope remit took ownership "
    "made right error errors rate from down up after before with for by on at this "
    "which when what how why who all every each more less than also just really "
    "basically actually kind sort maybe guess think believe said told wanted needed"
)
WORDS = _WORD_TEXT.split()


def _tokenizer_json(vocab_tokens: list[str], merges: list[tuple[str, str]]) -> str:
    """A byte-level BPE tokenizer in Hugging Face ``tokenizers`` JSON, with specials."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    vocab = {tok: i for i, tok in enumerate(vocab_tokens)}
    bpe = models.BPE(vocab=vocab, merges=merges)
    tokenizer = Tokenizer(bpe)
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True) for t in SPECIAL_TOKENS + TIMESTAMP_TOKENS]
    )
    return tokenizer.to_str()


def vocabulary() -> tuple[list[str], list[tuple[str, str]]]:
    """Token strings (bytes, words, specials, timestamps, in id order) and BPE merges."""
    from tokenizers import pre_tokenizers

    byte_tokens = sorted(pre_tokenizers.ByteLevel.alphabet())
    tokens = list(byte_tokens)
    seen = set(tokens)
    merges: list[tuple[str, str]] = []
    space = "Ġ"  # byte-level rendering of " "
    for word in WORDS:
        full = space + word
        for i in range(2, len(full) + 1):
            piece = full[:i]
            if piece not in seen:
                merges.append((full[: i - 1], full[i - 1]))
                tokens.append(piece)
                seen.add(piece)
    for punct in (",", "."):
        piece = punct
        if piece not in seen:
            tokens.append(piece)
            seen.add(piece)
    return tokens, merges


def build(
    out_dir: str | Path,
    dims: str = "test",
    seed: int = 0,
    logit_scale: float | None = None,
    eot_bias: float | None = None,
    timestamp_bias: float | None = None,
) -> Path:
    """Write a random-weight faster-whisper model into ``out_dir`` and return its path."""
    import ctranslate2
    from ctranslate2.specs import whisper_spec

    d_model, enc_layers, dec_layers, heads = DIMENSIONS[dims]
    # Benchmark-sized models decode confidently (no temperature fallback) and run to the
    # token cap like real speech; the test model stops early and often, which tests like.
    preset = (4.0, -2.0, -9.0) if dims == "test" else (10.0, -8.0, -12.0)
    logit_scale = preset[0] if logit_scale is None else logit_scale
    eot_bias = preset[1] if eot_bias is None else eot_bias
    timestamp_bias = preset[2] if timestamp_bias is None else timestamp_bias
    ffn = 4 * d_model
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    text_tokens, merges = vocabulary()
    all_tokens = text_tokens + SPECIAL_TOKENS + TIMESTAMP_TOKENS
    n_vocab = len(all_tokens)
    n_text = len(text_tokens)
    n_bytes = 256

    def w(*shape: int, scale: float | None = None) -> np.ndarray:
        s = scale if scale is not None else 1.0 / np.sqrt(shape[-1])
        return (rng.standard_normal(shape) * s).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def ones(*shape: int) -> np.ndarray:
        return np.ones(shape, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma = ones(d_model)
        spec.beta = zeros(d_model)

    def linear(spec, out_dim: int, in_dim: int) -> None:
        spec.weight = w(out_dim, in_dim)
        spec.bias = zeros(out_dim)

    def attention(spec, self_attention: bool) -> None:
        norm(spec.layer_norm)
        if self_attention:
            linear(spec.linear[0], 3 * d_model, d_model)
            linear(spec.linear[1], d_model, d_model)
        else:
            linear(spec.linear[0], d_model, d_model)
            linear(spec.linear[1], 2 * d_model, d_model)
            linear(spec.linear[2], d_model, d_model)

    def ffn_spec(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, ffn, d_model)
        linear(spec.linear_1, d_model, ffn)

    spec = whisper_spec.WhisperSpec(enc_layers, heads, dec_layers, heads)
    enc = spec.encoder
    enc.conv1.weight = w(d_model, N_MELS, 3, scale=1.0 / np.sqrt(N_MELS * 3))
    enc.conv1.bias = zeros(d_model)
    enc.conv2.weight = w(d_model, d_model, 3, scale=1.0 / np.sqrt(d_model * 3))
    enc.conv2.bias = zeros(d_model)
    enc.position_encodings.encodings = w(N_AUDIO_CTX, d_model, scale=0.1)
    norm(enc.layer_norm)
    for layer in enc.layer:
        attention(layer.self_attention, True)
        ffn_spec(layer.ffn)

    dec = spec.decoder
    dec.embeddings.weight = w(n_vocab, d_model, scale=1.0)
    dec.position_encodings.encodings = w(N_TEXT_CTX, d_model, scale=1.0)
    norm(dec.layer_norm)
    for layer in dec.layer:
        attention(layer.self_attention, True)
        attention(layer.attention, False)
        ffn_spec(layer.ffn)
    # An untied output projection whose bias favours whole-word tokens and keeps timestamps
    # and end-of-text rare, so random output reads as a stream of words in a few segments.
    dec.projection.weight = w(n_vocab, d_model, scale=logit_scale / np.sqrt(d_model))
    bias = np.full(n_vocab, -4.0, dtype=np.float32)
    bias[n_bytes:n_text] = 0.0
    bias[n_text] = eot_bias
    bias[n_text + len(SPECIAL_TOKENS) :] = timestamp_bias
    dec.projection.bias = bias

    spec.register_vocabulary(all_tokens)
    config = spec.config
    config.suppress_ids = []
    config.suppress_ids_begin = []
    config.lang_ids = []
    config.alignment_heads = [
        [layer, head] for layer in range(dec_layers // 2, dec_layers) for head in range(heads)
    ]
    spec.validate()
    spec.optimize("int8")
    spec.save(str(out))

    (out / "tokenizer.json").write_text(_tokenizer_json(text_tokens, merges), encoding="utf-8")
    (out / "preprocessor_config.json").write_text(
        json.dumps(
            {
                "chunk_length": 30,
                "feature_size": N_MELS,
                "hop_length": 160,
                "n_fft": 400,
                "n_samples": 480000,
                "nb_max_frames": 3000,
                "sampling_rate": 16000,
            }
        ),
        encoding="utf-8",
    )
    assert ctranslate2.__version__  # imported for its side effect of being present
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--dims", choices=sorted(DIMENSIONS), default="test")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    path = build(args.out_dir, args.dims, args.seed)
    size = sum(p.stat().st_size for p in path.iterdir())
    print(f"built {args.dims} random-weight model in {path} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
