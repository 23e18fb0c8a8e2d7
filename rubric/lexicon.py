"""Word classes: the vocabulary-level features the segmenter and the rule detectors share.

Each class is a *category* of language (first-person pronouns, quantities, change verbs,
authority roles, …), broad enough to cover phrasings no one wrote down in advance. The
detectors combine classes with position, section and negation; no class is a list of
sentences to match.
"""

from __future__ import annotations

import re

I_WORDS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself", "mine"})
WE_WORDS = frozenset({"we", "we're", "we've", "we'd", "we'll", "us", "our", "ours", "ourselves"})
WE_SUBJECT = frozenset({"we", "we've", "we'd", "we'll", "we're"})
THEY_WORDS = frozenset({"they", "they're", "they've", "they'd", "they'll", "them", "their"})

# Words that are themselves a quantified change or its end point ("halved", "to zero").
DELTA_WORDS = frozenset("halved doubled tripled quadrupled eliminated zero twice half none "
                        "nothing".split())
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion half double doubled triple tripled twice "
    "thrice quarter dozen dozens hundreds thousands millions point".split()
)
UNIT_WORDS = frozenset(
    "percent percentage % x times fold hours hour minutes minute seconds second days day "
    "weeks week months month ms milliseconds dollars dollar k grand bucks euros pounds points "
    "basis bps tickets calls orders users customers requests errors incidents pages gb tb "
    "mb".split()
)
MONEY_WORDS = frozenset(
    "dollars dollar $ revenue cost costs costing saved savings spend spending budget profit "
    "margin money euros pounds k grand million billion bucks arr mrr sales bookings cheaper "
    "expensive invoice invoices".split()
)
CHANGE_WORDS = frozenset(
    "from reduced reduce reducing cut cutting dropped drop drops fell decreased decrease "
    "lowered down increased increase increasing grew grow raised rose up improved improvement "
    "saved saving halved doubled tripled eliminated shrank shrunk boosted jumped climbed went "
    "gone faster slower fewer less more lower higher sped shaved trimmed removed recovered "
    "recovering back zero".split()
)
CUSTOMER_WORDS = frozenset(
    "customer customers user users client clients merchant merchants patient patients student "
    "students shopper shoppers buyer buyers seller sellers subscriber subscribers member "
    "members player players guest guests rider riders driver drivers passenger passengers "
    "partner partners advertiser advertisers tenant tenants caller callers people families "
    "citizens visitors readers viewers listeners donors nurses doctors agents residents "
    "traveler travelers".split()
)
BUSINESS_WORDS = MONEY_WORDS | frozenset(
    "churn retention conversion conversions nps csat sla slas slo compliance audit risk "
    "outage outages incident incidents downtime uptime availability complaints escalations "
    "tickets engagement adoption throughput productivity hours engineering-hours time-to-market "
    "deadline launch launched renewal renewals contract contracts fines penalty "
    "penalties liability safety market share satisfaction trust orders order sales purchases "
    "purchase bookings booking visits enrolments enrollments enrolment enrollment signups "
    "sign-ups subscriptions cancellations refunds returns reviews ratings payouts claims "
    "losses loss waste wasted stock inventory fines fee fees billed billing paid payments "
    "spend overtime headcount hires hiring attrition turnover morale readmissions injuries "
    "accidents weeks days engineer engineers staff labour labor shifts deliveries late on-time "
    "renewed renew win won deals pipeline regulator regulators audit audits fraud".split()
)
SECOND_ORDER_WORDS = frozenset(
    "adopted adopt adopting adoption template templates standard standardized standardised "
    "reused reuse reusing playbook playbooks runbook runbooks process processes checklist "
    "checklists guideline guidelines policy policies org-wide company-wide onboarding "
    "documented prevent prevented prevents prevention recurrence recurring copied "
    "replicated scaled mandatory rule rules required requirement invite invites reruns "
    "trained mentoring".split()
)
SYSTEMIC_WORDS = frozenset(
    "organization organisation organizational organisational org orgs incentive incentives "
    "ownership owner owners owned structure structural structurally process processes slo "
    "slos sla slas accountability accountable culture culturally systemic systemically system "
    "systems seams seam boundaries boundary handoffs handoff governance mechanism mechanisms "
    "roadmap roadmaps priorities prioritization prioritisation charter charters cross-team "
    "org's between gaps gap silo silos siloed alignment shared contract contracts interfaces "
    "interface leadership planning headcount funding funded metrics visibility nobody "
    "everybody's anyone's no-one's".split()
)
REFLECTION_WORDS = frozenset(
    "learned learnt learning lesson lessons takeaway takeaways realized realised realize "
    "realise reflect reflecting reflection looking hindsight retrospect differently next "
    "would taught teaches insight appreciate understood understand remember changed now "
    "always again".split()
)
GOAL_WORDS = frozenset(
    "needed need goal goals objective responsible responsibility job role task wanted want "
    "aim aimed target decided decide ensure make sure had owner mission charge charged "
    "supposed expected deliver figure".split()
)
SITUATION_WORDS = frozenset(
    "was were had team company working worked at time ago year years back when there our we "
    "is are called which system service product startup previous last joined".split()
)
FILLERS_SINGLE = frozenset({"um", "uh", "umm", "uhh", "er", "erm", "ah", "hmm", "mm", "uhm"})
FILLER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("you", "know"),
    ("i", "mean"),
    ("kind", "of"),
    ("sort", "of"),
)
# "like" is only a filler where it cannot be a verb/preposition: not after these words.
LIKE_CONTENT_PREV = frozenset(
    "would i'd 'd looks look looked looking seems seemed feel felt something anything nothing "
    "things stuff more less much just exactly sounds sounded is was be really didn't don't "
    "doesn't do does did not people what".split()
)
NEGATION = frozenset(
    "not no never nobody nothing none neither nor without n't didn't wasn't weren't isn't "
    "aren't hadn't hasn't haven't don't doesn't couldn't wouldn't no-one noone nor unassigned "
    "unowned".split()
)
AUTHORITY_WORDS = frozenset(
    "manager managers boss lead leads director directors vp supervisor supervisors head cto "
    "ceo coo cfo cio ciso em ems vp's cto's director's skip skip-level superior superiors "
    "leadership pm principal senior architect owner executive exec execs management chief "
    "lead's manager's boss's".split()
)
DIRECTIVE_VERBS = frozenset(
    "asked ask asks told tell tells suggested suggest suggests assigned assign assigns wanted "
    "want wants had pinged ping gave give handed tasked requested request put delegated "
    "delegate recommended recommend pushed instructed directed came said says needed "
    "volunteered nominated picked chose chosen sent dropped threw landed brought called".split()
)
ESCALATE_VERBS = frozenset(
    "escalated escalate escalating flagged flag raised raise reported report filed file "
    "opened open created logged log pinged ping messaged message slacked slack emailed email "
    "notified notify alerted alert told tell contacted contact informed inform forwarded "
    "forward submitted submit posted post reached ticket ticketed cc'd looped loop passed "
    "sent send dropped shot handed".split()
)
HANDOFF_VERBS = frozenset(
    "sent send handed hand passed pass gave give shared share forwarded forward submitted "
    "submit threw throw dropped left leave emailed uploaded posted transferred transfer "
    "delegated delegate offloaded assigned".split()
)
VAGUE_POSITIVE = frozenset(
    "happy pleased glad satisfied thrilled grateful delighted good great better fine nice "
    "well positive smoother successful success awesome improved improvement appreciated "
    "impressed love loved liked".split()
)
REASON_WORDS = frozenset(
    "because since 'cause meant meaning means costing losing lost risk risking hurting hurt "
    "affected affecting impacting impact breaking blocked blocking frustrated frustrating "
    "complaining complaints churn revenue money customers users patients deadline sla breach "
    "penalty exposure unsafe danger dangerous critical expensive wasting wasted".split()
)

_NUMBERISH = re.compile(r"^[$€£]?\d[\d,.]*(k|m|b|x|%|ms|s|h|pm|am)?$|^\d+(st|nd|rd|th)$")
_PAST_IRREGULAR = frozenset(
    "was were had did made took found saw got went came ran built wrote sent told thought "
    "knew brought began felt kept left led met paid put read said sat set spent stood "
    "understood won gave drove caught chose fought forgot heard held hid hit hung lost meant "
    "rode rose shook shot showed sold spoke stuck swept taught threw woke became".split()
)
_FUTURE_COND = frozenset("would will 'd i'd we'd i'll we'll could should might".split())


def is_number(norm: str) -> bool:
    """Digits, currency, percentages or spelled-out quantities ("thirty", "forty-five")."""
    if _NUMBERISH.match(norm) or norm in NUMBER_WORDS:
        return True
    return "-" in norm and all(p in NUMBER_WORDS for p in norm.split("-"))


def is_past(norm: str) -> bool:
    return norm in _PAST_IRREGULAR or (len(norm) > 4 and norm.endswith("ed"))


def is_future(norm: str) -> bool:
    return norm in _FUTURE_COND

TECH_WORDS = frozenset(
    "api apis endpoint endpoints database databases db query queries cache caching latency "
    "deploy deployed deployment logs log kubernetes k8s pod pods cluster service services "
    "microservice microservices config configuration retry retries queue queues schema index "
    "indexes pipeline pipelines server servers thread threads memory cpu timeout timeouts "
    "kafka redis postgres sql mysql lambda s3 aws gcp azure terraform docker container "
    "containers script scripts regex parser payload json http https tcp dns ssl tls cron "
    "batch job jobs worker workers load balancer replica replicas shard shards sharding "
    "migration migrations orm stack trace traces tracing heap gc garbage branch commit "
    "commits merge pr repo refactor refactored code function functions module modules library "
    "dependency dependencies version build ci cd flag flags webhook webhooks sdk backend "
    "frontend mobile ios android react javascript python java golang rust algorithm model "
    "models feature features dashboard dashboards metric metrics alert alerts alerting "
    "monitoring throughput bandwidth network packet".split()
)
INVESTIGATION_WORDS = frozenset(
    "logs log traced trace tracing reproduced reproduce repro root cause queried query "
    "queries profiled profile profiler measured measure dashboard dashboards metrics analyzed "
    "analysed analysis dug digging compared bisected bisect hypothesis hypotheses data "
    "sampled sample correlated correlation investigated investigation debugged debugging "
    "instrumented diffed narrowed isolated tested experiment experiments graph graphs "
    "histogram percentile p99 p95 timeline traces".split()
)
SKILL_WORDS = frozenset(
    "learned learnt picked skill skills technique techniques how debugging debug practice "
    "habit habits better tool tools method approach reading read understand understanding "
    "now".split()
)
INFLUENCE_WORDS = frozenset(
    "convinced convince persuaded persuade aligned align alignment proposed propose proposal "
    "influence influenced stakeholders stakeholder partnered partner buy-in rfc review "
    "reviews org cross-team negotiated negotiate pitched pitch presented present sponsors "
    "sponsor directors leadership adopted".split()
)
