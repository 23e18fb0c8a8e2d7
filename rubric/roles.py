"""Who does what in a clause: word stems (tense removed), verb classes, and the subject role
of each verb (the speaker, "we", another party, a manager, a thing), with negation.

These roles carry meaning across paraphrase ("they handled it" and "their team patched it"
are both ``other→fix``), so the evidence tagger (:mod:`.evidence`) uses them as features.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from starcoach.rubric import lexicon as lx

# -- word stems -------------------------------------------------------------------------
_IRREGULAR = {
    "sent": "send", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "told": "tell", "made": "make", "found": "find", "got": "get", "gotten": "get",
    "went": "go", "gone": "go", "came": "come", "ran": "run", "wrote": "write",
    "written": "write", "built": "build", "left": "leave", "kept": "keep", "brought": "bring",
    "thought": "think", "said": "say", "paid": "pay", "led": "lead", "saw": "see",
    "seen": "see", "knew": "know", "known": "know", "held": "hold", "caught": "catch",
    "chose": "choose", "chosen": "choose", "spoke": "speak", "stood": "stand",
    "understood": "understand", "taught": "teach", "threw": "throw", "thrown": "throw",
    "dealt": "deal", "felt": "feel", "heard": "hear", "meant": "mean", "met": "meet",
    "sat": "sit", "spent": "spend", "won": "win", "lost": "lose", "sold": "sell",
    "began": "begin", "begun": "begin", "fell": "fall", "drove": "drive", "rode": "ride",
    "rose": "rise", "shook": "shake", "shot": "shoot", "stuck": "stick", "swept": "sweep",
    "woke": "wake", "became": "become", "forgot": "forget", "fought": "fight", "hid": "hide",
    "hung": "hang", "let": "let", "put": "put", "set": "set", "cut": "cut", "read": "read",
    "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be",
    "being": "be", "'s": "be", "had": "have", "has": "have", "having": "have", "did": "do",
    "does": "do", "done": "do", "doing": "do", "bought": "buy", "sought": "seek",
    "slept": "sleep", "ate": "eat", "flew": "fly", "grew": "grow", "drew": "draw",
    "wore": "wear", "tore": "tear", "broke": "break", "broken": "break", "froze": "freeze",
    "frozen": "freeze", "shut": "shut", "split": "split", "spread": "spread",
    "dug": "dig", "fed": "feed", "hit": "hit", "lit": "light", "sped": "speed",
    "struck": "strike", "laid": "lay", "lent": "lend", "rebuilt": "rebuild",
    "rewrote": "rewrite", "reran": "rerun", "undid": "undo", "withdrew": "withdraw",
    "overheard": "overhear", "upheld": "uphold", "mistook": "mistake", "sank": "sink",
    "sang": "sing", "drank": "drink", "stole": "steal", "swore": "swear", "bent": "bend",
    "fled": "flee", "ground": "grind", "won't": "will",
}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A crude, deterministic stem: irregular forms mapped, common suffixes removed."""
    w = word.lower().strip("'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl, min_len in (("ies", "y", 5), ("ied", "y", 5), ("ing", "", 6),
                                  ("ed", "", 5), ("es", "", 5), ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "logged" -> "logg" -> "log"
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # "escalate" and "escalat(ed)" meet
    return w


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


# -- verb classes (by stem) -------------------------------------------------------------
VERB_CLASSES: dict[str, frozenset[str]] = {
    "route": _stems(
        "escalate flag raise report file open log ping message slack email notify alert tell "
        "contact inform forward submit post reach loop pass send hand call phone text mention "
        "ticket assign delegate give share drop throw route cc refer transfer kick bump "
        "offload punt push radio write let"),
    "fix": _stems(
        "fix patch resolve handle sort solve repair deal correct restore rewrite build "
        "implement replace swap change update refactor redesign add remove "
        "migrate clean recalibrate rerun reroute freeze reconfigure reset rebuild automate "
        "script code revert configure install tune adjust move cover take do make "
        "create design draft set"),
    "release": _stems("ship deploy roll merge release launch publish approve"),
    "investigate": _stems(
        "pull trace dig look check compare reproduce query measure analyze analyse read test "
        "profile debug map interview survey match line notice find spot sample audit chart "
        "plot graph count time watch monitor inspect examine review investigate narrow "
        "isolate bisect diff grep figure"),
    "wait": _stems(
        "wait hope leave trust sit expect assume chase nudge remind linger idle"),
    "direct": _stems(
        "ask tell suggest assign want task instruct direct request nominate pick volunteer "
        "voluntold delegate order insist need"),
    "react": _stems(
        "agree approve thank like love appreciate sign accept praise say seem feel welcome "
        "celebrate congratulate reply respond nod"),
    "talk": _stems(
        "walk explain present pitch convince persuade align meet schedule coordinate "
        "negotiate pair demo show brief propose discuss talk sync"),
    "state": _stems("be have seem become remain stay"),
    "learn": _stems("learn realize realise understand take notice discover"),
}
_VERB_CLASS_OF: dict[str, tuple[str, ...]] = {}
for _name, _members in VERB_CLASSES.items():
    for _m in _members:
        _VERB_CLASS_OF[_m] = (*_VERB_CLASS_OF.get(_m, ()), _name)

# -- subjects ---------------------------------------------------------------------------
_SPEAKER = frozenset({"i", "i'm", "i've", "i'd", "i'll", "myself"})
_WE = frozenset({"we", "we're", "we've", "we'd", "we'll"})
_OTHER_PRON = frozenset({"they", "they're", "they've", "they'd", "they'll", "he", "she",
                         "he's", "she's", "he'd", "she'd", "someone", "somebody"})
_CROWD = frozenset("everyone everybody people stakeholders folks customers users clients "
                   "team teams everything things it this that".split())
_PARTY = frozenset(
    "team teams desk office engineer engineers dev devs developer developers fitter staff "
    "crew department ops support contractor contractors vendor vendors supplier suppliers "
    "lead leads owner owners admin admins technician technicians committee board group "
    "on-call oncall sre infra it pharmacy pharmacist nurse nurses doctor doctors carrier "
    "partner partners agency bank legal finance security platform facilities maintenance "
    "warehouse store head hq headquarters colleague colleagues coworker coworkers peer "
    "peers analyst analysts designer designers qa tester testers specialist specialists "
    "rep reps representative".split())
_DETERMINERS = frozenset("their his her the that this one a an our my another other".split())
_SKIP = frozenset(
    "just then also actually finally quickly immediately already basically really "
    "eventually personally myself themselves himself herself ourselves all both "
    "had have has 've 'd would will could should can did do does never not didn't don't "
    "doesn't wasn't weren't couldn't wouldn't won't only even simply still soon later "
    "first straight right promptly kind sort of".split())
NEGATORS = lx.NEGATION | frozenset({"never"})


_OPENERS = frozenset(
    "and but so then when because that who after before until once while if which since "
    "as though although whereas where or also".split())


def _clause_start(norms: list[str], raws: list[str], j: int) -> bool:
    return j == 0 or norms[j - 1] in _OPENERS or raws[j - 1].endswith((",", ".", ";", ":",
                                                                        "?", "!", "—"))


def _noun_run(norms: list[str], raws: list[str], j: int, limit: int = 4) -> int | None:
    """End of a noun phrase naming a party that starts at ``j`` ("the Finance Platform
    team", "their tech lead", "Priya"), or None if none does."""
    end = None
    k = j
    while k < len(norms) and k - j < limit:
        w = norms[k]
        if w in _PARTY or w in lx.AUTHORITY_WORDS or (raws[k][:1].isupper() and k > 0
                                                     and raws[k].isalpha()
                                                     and w not in lx.I_WORDS):
            end = k
        elif end is not None or w in ("and", "but", "so", "to", "of", "for", "with"):
            break
        k += 1
    return end


def _subject_class(norms: list[str], raws: list[str], j: int) -> tuple[str, int] | None:
    """(class, last word of the subject) if a subject starts at ``j``."""
    w = norms[j]
    if w in _SPEAKER:
        return "spk", j
    if w in _WE:
        return "we", j
    if w in _OTHER_PRON:
        return "oth", j
    if not _clause_start(norms, raws, j):
        return None
    if w in ("my", "our"):
        end = _noun_run(norms, raws, j + 1)
        if end is None:
            return None
        if any(norms[k] in lx.AUTHORITY_WORDS for k in range(j + 1, end + 1)):
            return "mgr", end
        return ("we" if w == "our" else "crowd"), end
    if w in _DETERMINERS:
        end = _noun_run(norms, raws, j + 1)
        if end is not None:
            mgr = any(norms[k] in ("manager", "boss", "director", "supervisor", "vp")
                      for k in range(j + 1, end + 1))
            return ("mgr" if mgr and w == "the" else "oth"), end
        return None
    if w in _CROWD:
        return "crowd", j
    end = _noun_run(norms, raws, j)
    if end is not None and (j > 0 or w in _PARTY):
        return ("mgr" if w in lx.AUTHORITY_WORDS and end == j else "oth"), end
    return None


def _verb_after(norms: list[str], k: int, limit: int = 4, pronoun: bool = False
                ) -> tuple[int, bool] | None:
    """Index of the verb after a subject ending at ``k`` (skipping adverbs and
    auxiliaries), and whether a negation was skipped."""
    neg = False
    j = k + 1
    while j < len(norms) and j - k <= limit:
        w = norms[j]
        if w in NEGATORS or w.endswith("n't"):
            neg = True
        if w in _SKIP or w in NEGATORS or w.endswith("n't"):
            j += 1
            continue
        if w in _DETERMINERS or w in lx.I_WORDS or w in _OPENERS or w in (
                "to", "in", "on", "at", "for", "with", "of", "from"):
            return None
        if lx.is_past(w) or stem(w) in _VERB_CLASS_OF or w in ("is", "are", "was", "were"):
            return j, neg
        if pronoun and w.isalpha() and w not in _PARTY:
            return j, neg  # after a pronoun a verb must come: "so I go to the logs"
        return None
    return None


@dataclass(frozen=True, slots=True)
class Role:
    """One subject–verb pair found in a unit."""

    subject: str  # spk | we | oth | mgr | crowd
    verb: str  # stem
    classes: tuple[str, ...]
    negated: bool
    at: int  # index of the verb in the answer


def roles(norms: list[str], raws: list[str], first: int, last: int) -> list[Role]:
    """Subject–verb pairs whose subject lies in ``[first, last]``."""
    out: list[Role] = []
    j = first
    while j <= last:
        subj = _subject_class(norms, raws, j)
        if subj is None:
            j += 1
            continue
        cls, head = subj
        v = _verb_after(norms, head, pronoun=head == j and (
            norms[j] in _SPEAKER or norms[j] in _WE or norms[j] in _OTHER_PRON))
        if v is not None and v[0] <= last + 2:
            k, neg = v
            s = stem(norms[k])
            out.append(Role(cls, s, _VERB_CLASS_OF.get(s, ()), neg, k))
            j = k + 1
        else:
            j = head + 1
    # A verb joined on with "and"/"then" keeps the previous subject ("I wrote it and shipped it").
    extra: list[Role] = []
    for r in out:
        k = r.at + 1
        while k <= last:
            if norms[k] in ("and", "then") and k + 1 <= last:
                nxt = norms[k + 1]
                if nxt == "then" and k + 2 <= last:
                    nxt = norms[k + 2]
                s = stem(nxt)
                if (lx.is_past(nxt) or s in _VERB_CLASS_OF) and nxt not in lx.I_WORDS:
                    extra.append(Role(r.subject, s, _VERB_CLASS_OF.get(s, ()), False, k + 1))
                break
            if _subject_class(norms, raws, k) is not None:
                break
            k += 1
    return sorted(out + extra, key=lambda r: r.at)
