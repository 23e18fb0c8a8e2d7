"""The evidence layer: what each clause of an answer says, as the rubric needs it.

Every clause-sized unit (``text.split_units``) gets a probability for each evidence tag —
the speaker's own action, work told as "we", a hand-off to another party, another party
doing the fix, waiting, direction from a manager, a concrete or a vague reason, a scope
boundary, a before→after number, a business translation, a lasting change beyond the
fix, a specific or a generic lesson, a systemic cause, a hedge (the table in
``assets/corpus/evidence/FORMAT.md``). Rules are then short aggregations of these tags
within sections (``rules/``), not phrase lists.

The tagger is one logistic regression per tag over features chosen to carry meaning
across paraphrase rather than to memorise wording:

- *roles*: who is the subject of each verb (the speaker, "we", another party, a manager,
  a thing), the verb's stem (tense removed: "sent"/"send"/"sending" are one) and its
  class (routing a problem, fixing, investigating, waiting, directing, reacting), and
  negation on it — "they handled it" and "their team patched it" share
  ``other→fix``; "I patched it" is ``speaker→fix``;
- *language classes* from ``lexicon`` (quantities, change, money, customers, platitudes,
  systemic nouns, hedges…) and small pattern cues (a "from X to Y", a number beside a
  change word), as counts, never as decisions;
- hashed word stems and pairs (so the model can still use what is said), the unit's
  opening words, its neighbours' roles, its place in the answer and how much of its
  vocabulary the rest of the story shares (a lesson tied to the story shares words).

Weights are data (``assets/models/evidence.npz``), trained by
``python -m starcoach.rubric.evidence_training`` on the clause-tagged corpus.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from starcoach.rubric import lexicon as lx
from starcoach.rubric.roles import NEGATORS, VERB_CLASSES, Role, roles, stem
from starcoach.rubric.text import Token, Unit

TAGS: tuple[str, ...] = (
    "own", "we", "handoff", "other", "wait", "directed", "reason", "vague_reason", "scope",
    "delta", "business", "second", "vague_outcome", "lesson", "generic", "systemic", "hedge",
)
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
HASH_DIM = 8192


# -- dense cues -------------------------------------------------------------------------
_FROM_TO = re.compile(r"\bfrom\b(?:\s+\S+){0,5}?\s+\S*\d\S*(?:\s+\S+){0,6}?\s+\bto\b")
_PLATITUDES = frozenset(
    "communication communicate teamwork collaboration important importance key matters "
    "essential crucial patience flexible flexibility adaptable proactive persistence "
    "perseverance listen listening attitude positive mindset growth humble humility empathy "
    "transparency transparent journey valuable always never".split())
_GENERIC_YOU = (("you", "have", "to"), ("you", "should"), ("you", "always"), ("you", "need"),
                ("you", "can't"), ("you", "never"), ("you", "got", "to"), ("at", "the", "end"),
                ("is", "key"), ("is", "everything"), ("so", "important"), ("really", "matters"))
_HEDGES = (("i", "guess"), ("i", "suppose"), ("kind", "of"), ("sort", "of"), ("kinda",),
           ("sorta",), ("not", "sure"), ("maybe",), ("perhaps",), ("probably",),
           ("i", "think"), ("somewhat",), ("more", "or", "less"), ("i", "feel", "like"),
           ("hopefully",), ("possibly",), ("a", "little", "bit"), ("might",), ("i", "believe"),
           ("not", "totally"), ("not", "100"), ("i", "want", "to", "say"))
_PRACTICE = frozenset("now whenever nowadays since every always".split())
_SCOPE_NOUNS = frozenset(
    "team team's job area code service system responsibility remit scope lane problem "
    "project ticket tickets backlog roadmap mine plate sprint module domain repo queue "
    "charter owner ownership ours yours theirs department unit role".split())
_VAGUE_IDIOMS = (("worked", "out"), ("went", "well"), ("went", "smoothly"), ("paid", "off"),
                 ("much", "better"), ("a", "lot", "better"), ("way", "better"),
                 ("really", "happy"), ("were", "happy"), ("was", "happy"), ("got", "better"),
                 ("good", "feedback"), ("positive", "feedback"), ("a", "success"))
_SECOND_CUES = lx.SECOND_ORDER_WORDS | frozenset(
    "default standard template every other others since again anymore recurred recur "
    "copied adopted rolled every".split())
_REASON_CUES = lx.REASON_WORDS | frozenset("because since so which meant costing".split())

DENSE_NAMES: tuple[str, ...] = (
    "bias", "len", "rel_pos", "rel_pos2", "first_unit", "last_unit", "has_number",
    "n_numbers", "percent", "money", "from_to", "change", "delta_word", "number_near_change",
    "customer", "business", "second_cue", "vague_pos", "vague_idiom", "platitude",
    "generic_you", "practice", "systemic", "reflection", "hedge", "negation", "future",
    "reason_cue", "scope_noun_neg", "story_overlap", "question", "i_rate", "we_rate",
    "they_rate", "me_after_directive", "outside_scope",
)
DENSE_DIM = len(DENSE_NAMES)
# What the hand-written cues (``rubric.cues``) say about each unit, computed there.
CUE_NAMES: tuple[str, ...] = ("esc", "pas", "mgr", "vout", "hedge", "we", "vmot", "scope",
                              "delta", "business", "second", "generic", "specific")
CUE_DIM = len(CUE_NAMES)
FEATURE_DIM = HASH_DIM + DENSE_DIM + CUE_DIM
_D = {n: i for i, n in enumerate(DENSE_NAMES)}

_STOP = frozenset(
    "the a an and or but so to of in on at for with that this it is was were be been i me my "
    "we our you your they them their he she his her what which who when where how then there "
    "here just really very about like um uh yeah also more most much some any would could "
    "should will can did do does have had has not no if because thing things something lot "
    "always never every time way actually learned think know going get got make made take "
    "took next looking back from into out up down over after before".split())


def _h(key: str) -> int:
    return zlib.crc32(key.encode()) % HASH_DIM


def _content(norm: str) -> bool:
    return len(norm) > 3 and norm not in _STOP and not lx.is_number(norm)


def _seq_at(norms: list[str], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(norms[i:i + len(seq)]) == seq


def unit_roles(tokens: list[Token], units: list[Unit]) -> list[list[Role]]:
    norms = [t.norm for t in tokens]
    raws = [t.raw for t in tokens]
    return [roles(norms, raws, u.first, u.last) for u in units]


def features(tokens: list[Token], units: list[Unit],
             unit_role: list[list[Role]] | None = None,
             cues: np.ndarray | None = None) -> np.ndarray:
    """The feature matrix, one row per unit (see the module docstring); ``cues`` is the
    (units × CUE_DIM) matrix of ``rubric.cues.cue_matrix``."""
    norms = [t.norm for t in tokens]
    m = len(units)
    X = np.zeros((m, FEATURE_DIM), dtype=np.float32)
    if m == 0:
        return X
    if unit_role is None:
        unit_role = unit_roles(tokens, units)
    total = max(1, len(tokens))
    content_count: dict[str, int] = {}
    for w in norms:
        if _content(w):
            s = stem(w)
            content_count[s] = content_count.get(s, 0) + 1
    role_keys: list[list[str]] = []
    for rl in unit_role:
        keys = []
        for r in rl:
            neg = "!" if r.negated else ""
            keys.append(f"s:{r.subject}")
            keys.append(f"sv:{r.subject}{neg}:{r.verb}")
            keys.extend(f"sc:{r.subject}{neg}:{c}" for c in r.classes)
        role_keys.append(keys)
    for r, u in enumerate(units):
        row = X[r]
        # Fillers and unrecognised speech carry no evidence about what the clause says.
        seg = [w for w, t in zip(norms[u.first:u.last + 1], tokens[u.first:u.last + 1],
                                 strict=True)
               if w and not (t.is_filler_gap or t.is_unrecognised)
               and w not in lx.FILLERS_SINGLE]
        n = max(1, len(seg))
        stems = [stem(w) for w in seg]
        hashed: list[tuple[str, float]] = []
        for j, s in enumerate(stems):
            hashed.append(("w:" + s, 1.0))
            if j + 1 < len(stems):
                hashed.append(("p:" + s + " " + stems[j + 1], 0.7))
            if j < 2:
                hashed.append((f"b{j}:" + s, 1.0))
        for key in role_keys[r]:
            hashed.append((key, 1.5))
        if r > 0:
            hashed.extend(("prev:" + k, 0.5) for k in role_keys[r - 1] if k.startswith("sc:"))
        if r + 1 < m:
            hashed.extend(("next:" + k, 0.5) for k in role_keys[r + 1] if k.startswith("sc:"))
        scale = 1.0 / np.sqrt(n)
        for key, weight in hashed:
            row[_h(key)] += weight * (scale if not key.startswith(("s:", "sv:", "sc:", "prev:",
                                                                     "next:")) else 1.0)
        d = HASH_DIM
        row[d + _D["bias"]] = 1.0
        row[d + _D["len"]] = min(n, 40) / 20.0
        centre = (u.first + u.last + 1) / 2 / total
        row[d + _D["rel_pos"]] = centre
        row[d + _D["rel_pos2"]] = centre * centre
        row[d + _D["first_unit"]] = float(r == 0)
        row[d + _D["last_unit"]] = float(r == m - 1)
        numbers = [j for j, w in enumerate(seg) if lx.is_number(w) and w not in ("one",)]
        row[d + _D["has_number"]] = float(bool(numbers))
        row[d + _D["n_numbers"]] = min(len(numbers), 4) / 2.0
        row[d + _D["percent"]] = float(any(w.endswith("%") or w in ("percent", "percentage")
                                           for w in seg))
        row[d + _D["money"]] = float(any(w.startswith(("$", "€", "£")) or w in lx.MONEY_WORDS
                                         for w in seg))
        text = " ".join(seg)
        row[d + _D["from_to"]] = float(bool(_FROM_TO.search(text)))
        change = [j for j, w in enumerate(seg) if w in lx.CHANGE_WORDS]
        row[d + _D["change"]] = min(len(change), 3) / 1.5
        row[d + _D["delta_word"]] = float(any(w in lx.DELTA_WORDS for w in seg))
        row[d + _D["number_near_change"]] = float(any(abs(a - b) <= 5 for a in numbers
                                                      for b in change))
        row[d + _D["customer"]] = min(sum(w in lx.CUSTOMER_WORDS for w in seg), 3) / 1.5
        row[d + _D["business"]] = min(sum(w in lx.BUSINESS_WORDS for w in seg), 3) / 1.5
        row[d + _D["second_cue"]] = min(sum(w in _SECOND_CUES for w in seg), 3) / 1.5
        row[d + _D["vague_pos"]] = min(sum(w in lx.VAGUE_POSITIVE for w in seg), 3) / 1.5
        row[d + _D["vague_idiom"]] = float(any(_seq_at(seg, j, q) for j in range(len(seg))
                                               for q in _VAGUE_IDIOMS))
        row[d + _D["platitude"]] = min(sum(w in _PLATITUDES for w in seg), 3) / 1.5
        row[d + _D["generic_you"]] = float(any(_seq_at(seg, j, q) for j in range(len(seg))
                                               for q in _GENERIC_YOU))
        row[d + _D["practice"]] = float(any(w in _PRACTICE for w in seg))
        row[d + _D["systemic"]] = min(sum(w in lx.SYSTEMIC_WORDS for w in seg), 3) / 1.5
        row[d + _D["reflection"]] = min(sum(w in lx.REFLECTION_WORDS for w in seg), 3) / 1.5
        row[d + _D["hedge"]] = min(sum(any(_seq_at(seg, j, q) for q in _HEDGES)
                                       for j in range(len(seg))), 3) / 1.5
        negs = [j for j, w in enumerate(seg) if w in NEGATORS or w.endswith("n't")]
        row[d + _D["negation"]] = min(len(negs), 2) / 1.0
        row[d + _D["future"]] = float(any(lx.is_future(w) for w in seg))
        row[d + _D["reason_cue"]] = min(sum(w in _REASON_CUES for w in seg), 3) / 1.5
        row[d + _D["scope_noun_neg"]] = float(any(
            any(w in _SCOPE_NOUNS or stem(w) in ("own", "ask", "assign", "belong")
                for w in seg[a + 1:a + 6]) for a in negs))
        shared = [s for s, w in zip(stems, seg, strict=True)
                  if _content(w) and content_count.get(s, 0) > stems.count(s)]
        contents = [w for w in seg if _content(w)]
        row[d + _D["story_overlap"]] = len(shared) / max(1, len(contents))
        row[d + _D["question"]] = float(any(w in ("what", "why", "how", "who") for w in seg))
        row[d + _D["i_rate"]] = sum(w in lx.I_WORDS for w in seg) / n * 3
        row[d + _D["we_rate"]] = sum(w in lx.WE_WORDS for w in seg) / n * 3
        row[d + _D["they_rate"]] = sum(w in lx.THEY_WORDS for w in seg) / n * 3
        row[d + _D["me_after_directive"]] = float(any(
            stem(w) in VERB_CLASSES["direct"] and "me" in seg[j + 1:j + 3]
            for j, w in enumerate(seg)))
        row[d + _D["outside_scope"]] = float(any(
            w in ("outside", "beyond", "technically", "belonged", "belongs", "unowned",
                  "nobody", "nobody's", "wasn't", "isn't") for w in seg))
    if cues is not None:
        X[:, HASH_DIM + DENSE_DIM:] = cues
    return X


@dataclass(slots=True)
class TaggerModel:
    weights: np.ndarray  # (FEATURE_DIM, len(TAGS))
    bias: np.ndarray  # (len(TAGS),)
    thresholds: dict[str, float]  # per rule/tag decision thresholds chosen in training

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        z = np.clip(X @ self.weights + self.bias, -30.0, 30.0)
        return 1.0 / (1.0 + np.exp(-z))


def model_path() -> str:
    return str(resources.files("starcoach.assets") / "models" / "evidence.npz")


def load_model(path: str) -> TaggerModel:
    with np.load(path, allow_pickle=False) as data:
        if tuple(str(t) for t in data["tags"]) != TAGS or int(data["feature_dim"]) != FEATURE_DIM:
            raise ValueError("evidence weights do not match this version's features; "
                             "retrain with `python -m starcoach.rubric.evidence_training`")
        names = [str(n) for n in data["threshold_names"]]
        values = [float(v) for v in data["threshold_values"]]
        return TaggerModel(data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                           dict(zip(names, values, strict=True)))


def save_model(model: TaggerModel, path: str) -> None:
    names = sorted(model.thresholds)
    np.savez_compressed(
        path, tags=np.asarray(TAGS), feature_dim=np.asarray(FEATURE_DIM),
        weights=model.weights.astype(np.float16), bias=model.bias.astype(np.float32),
        threshold_names=np.asarray(names),
        threshold_values=np.asarray([model.thresholds[n] for n in names], dtype=np.float32))


@lru_cache(maxsize=1)
def default_model() -> TaggerModel:
    return load_model(model_path())


@dataclass(slots=True)
class Evidence:
    """Tag probabilities per unit, with the units and their roles."""

    units: list[Unit]
    probs: np.ndarray  # (units, tags)
    roles: list[list[Role]]
    thresholds: dict[str, float]

    def p(self, u: int, tag: str) -> float:
        return float(self.probs[u, TAG_INDEX[tag]])

    def unit_of(self, word: int) -> int | None:
        for k, u in enumerate(self.units):
            if u.first <= word <= u.last:
                return k
        return None


def tag(tokens: list[Token], units: list[Unit], model: TaggerModel | None = None,
        cues: np.ndarray | None = None, roles: list[list[Role]] | None = None) -> Evidence:
    """Probabilities of every evidence tag for every unit (``roles``: the units' roles if
    already parsed; they do not depend on the sections, the cues do)."""
    model = model or default_model()
    rl = unit_roles(tokens, units) if roles is None else roles
    X = features(tokens, units, rl, cues)
    probs = model.probabilities(X) if units else np.zeros((0, len(TAGS)), dtype=np.float32)
    return Evidence(units, probs, rl, model.thresholds)
