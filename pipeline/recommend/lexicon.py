"""Word lists and phrase patterns the proposal detector (`proposals`) reads: action verbs, verbs of feeling, words
that open a problem or name an agent rather than a provision, possessors whose "has no X" is a circumstance, the
patterns of a lack, and of a thing said to help (also read by `rules` to word it). Moved out of `proposals`
(issue 11, part 7) to keep that module under the size cap; `proposals` re-exports them."""
from __future__ import annotations

import re

LACK_NOT_ASK = {"point", "problem", "problems", "cure", "one", "longer", "doubt", "idea", "change", "fault", "matter",
                "wonder", "reason", "surprise", "way", "voice", "need", "good", "more", "other", "choice", "say",
                "response", "reply", "answer", "time", "sign", "chance", "intention", "plans", "interest", "notice"}
# possessors whose "has no X" is a circumstance, not a missing provision ("My mum has no smart phone")
PERSON_WORDS = set("""i you he she we they who mum dad mother father son daughter child children kid kids people person
family families neighbour neighbours wife husband partner friend friends resident residents tenant tenants parent parents
carer carers someone somebody everyone many most some council councils partnership partnerships organisation
organisations group groups government authority authorities board boards sector agency agencies charity charities""".split())
# an opening that names a problem, a topic, a person or praise, not a provision: "Poor lighting on the footpath",
# "Long queues at the desk", "The bins by the flats", "Thanks for organising this"
NP_NOT_WISH_OPEN_RE = re.compile(
    r"^(poor|bad|worse|worst|broken|too|long|longer|high|higher|rising|low|lower|no|not|lack|lacking|dirty|damaged|"
    r"dangerous|unsafe|overgrown|noisy|expensive|slow|late|limited|little|few|missing|constant|cold|damp|dark|blocked|"
    r"closed|empty|difficult|hard|unreliable|overflowing|confusing|rude|lots|loads|huge|massive|heavy|excessive|reduced|"
    r"inadequate|insufficient|unfair|unclear|overcrowded|crowded|busy|full|old|outdated|tired|leaking|faulty|"
    r"thanks?|great|good|lovely|nice|love|brilliant|excellent|happy|pleased|well|easy|"
    r"the|this|that|these|those|my|our|their|his|her|its|it|some|all|most|many|every|each|any|such|same|other|only|"
    r"just|very|so|what|how|why|when|where|who|if|i|we|you|they|he|she|there|here|one|two|three|several)\b", re.I)
# a problem or an agent named in the phrase ("Dog mess in the park", "Cars on the pavement", "Motorbikes on the field")
NP_PROBLEM_RE = re.compile(
    r"\b(litter|rubbish|mess|fly[- ]?tipping|noise|traffic|speeding|potholes?|queues?|delays?|waits?|crime|damp|mould|"
    r"graffiti|vandalism|floods?|problems?|issues?|concerns?|complaints?|anti-?social|asb|drugs?|costs?|prices?|fees?|"
    r"charges?|shortages?|closures?|cuts?|fears?|risks?|danger|dangers|isolation|loneliness|stress|barriers?|"
    r"confusion|abuse|racism|discrimination|inequalit\w*|congestion|pollution|smells?|leaks?|disrepair|rats|mice|pests|"
    r"dogs?|cars|vans|lorries|vehicles|motorbikes|bikes|scooters|cyclists|drivers|increases?|rises?|loss|losses|gaps?|"
    r"struggles?|competition|mortality|underachievement|people|residents|tenants|staff|kids|children|youngsters|teenagers|"
    r"teens|gangs?|communities|families|women|men|girls|boys|behaviour|dealers|jams|levels|rates|numbers)\b", re.I)
# verbs of feeling, thanks or knowing: a base form at a bullet's start that is not an action asked for ("Love the new
# library, it is great", "Thank you to the staff for ...", "Welcome to ...")
NOT_ACTION_VERBS = set("""love like hate enjoy thank thanks welcome miss know think feel remember hope mean seem wish see hear
want agree appreciate believe guess reckon worry wonder understand sound""".split())
# base-form verbs that open an action; the small model tags some of them as nouns at a fragment's start
IMPERATIVE_VERBS = set("""
acknowledge address adopt advertise allow amplify appoint ask avoid bring build campaign capitalise celebrate challenge
change check collect commission consider consult continue co-produce create cut deliver design develop do don't
educate embed empower enable encourage end engage ensure enforce establish expand explore extend find fix focus
follow forget fund get give go have help hire hold improve include increase inform install introduce invest involve
keep learn let limit listen look lower maintain make map market mentor monitor move name offer open pay plan
prioritise prioritize promote protect provide publicise publish push put raise reach recognise recognize recruit
reduce refresh reinstate remove reopen re-open repair replace resource respect restore retain review run scrap set
share shift show simplify speak standardise start stop strengthen support tackle take talk target teach tell train
treat turn undertake update use value visit widen work write
""".split())
# a missing provision named at a clause's start: "No testing kits in other languages", "Not enough dropped kerbs"
LACK_OPEN_RE = re.compile(
    r"^(there (is|are|was|were|'s) )?(still |really |simply |a real |real )?(no|not enough|a lack of|lack of|lacks?|insufficient|"
    r"too few|too little|not sufficient|inadequate|never enough|shortage of|a shortage of)\b"
    r"|\b(is|are|has been|have been) (lacking|not available|unavailable|missing)\b|\bnot available\b|\black of\b", re.I)
# a lack named inside a sentence: "Several people said there is no changing places toilet", "The underpass by the
# station, no lighting and ...", "Ten per cent is not enough", "The new estate has no play area"
LACK_INNER_RE = re.compile(
    r"(?:\bthere(?:'s|’s| is| are| was| were)(?: still| really| simply| currently| just| also)?|[,;:(]|\s[–—-]|\band)\s+"
    r"(?P<w>no|not enough|not (?:one|a single)(?!\s+(?:of|person|people|one|body)\b)|a lack of|too few|too little|insufficient|(?:a )?shortage of)\s+(?P<next>[\w'’-]+)|"
    r"\bthere(?:'s|’s| is| are| was| were) (?:very |so )?little\s+(?P<next4>[\w'’-]+)|"
    r"\bnot enough\b(?:\s+(?P<next2>[\w'’-]+))?|\b(?:is|are|was|were|and|often|still|currently) missing\b|\b(?P<have>has|have|had)(?: got)? no\s+(?P<next3>[\w'’-]+)", re.I)
LACK_EXCLUDE_RE = re.compile(r"^(there (is|are|was|were) )?no (point|problems?|cure|one|longer|doubt|idea|change|-fault|"
                             r"fault|matter|wonder|reason|surprise|way|voice)\b|\black of understanding\b|"
                             r"\black(ing)? (diversity|trust|confidence|recognition|awareness)\b", re.I)
# "X would help / make a real difference / be great / make people feel safer": something said to do good (drafting:
# `rules._benefit`)
BENEFIT_RE = re.compile(
    r"^(?:(?:i|we|they|people|residents|many|some|most)\s+(?:think|thought|feel|felt|reckon|said|say|believe)\s+(?:that\s+)?)?"
    r"(?P<what>[^,;:]+?)\s+(?:would|could|will|might)\s+(?:really\s+|definitely\s+|also\s+|certainly\s+|probably\s+|surely\s+)?"
    r"(?P<does>(?P<empty>help(?:\s+(?:a\s+lot|loads|massively|so\s+much|hugely|enormously|a\s+great\s+deal|a\s+bit))?|"
    r"make\s+(?:a|the|all\s+the)\s+(?:\w+\s+){0,2}difference|be\s+(?:really\s+|so\s+|very\s+)?(?:great|good|nice|brilliant|"
    r"helpful|useful|ideal|welcome|fantastic|amazing|lovely|excellent|a\s+(?:\w+\s+)?(?:help|improvement|bonus|plus)))\s*$|"
    r"(?:help|encourage|allow|enable|let|improve|save)\s+\S.*|"  # a good result only: "would make traffic worse" is none
    r"make\s+(?:\w+\s+){0,3}?(?:feel\s+)?(?:safer|easier|better|happier|healthier|cheaper|quicker|nicer|possible|accessible|"
    r"welcome|more\s+welcoming)\b.*)$", re.I)
# the thing said to help is not there yet: "A youth worker", "More buses", "Better lighting", "Free parking", "Being able
# to book online", "Opening the library on Sundays" (not "The hall", "It", "Staff", "Nothing"; nor "Having everything in
# one place would save trips", a plan's own feature praised under "What do you think of the plan?")
# words that open a subject that is there already, never a thing wished for ("The hall would be lovely")
BARE_NOT_WISHED = {"the", "this", "that", "these", "those", "it", "its", "they", "we", "he", "she", "our", "my", "their",
                   "his", "her", "your", "some", "most", "many", "all", "which", "who", "what", "both", "each", "any"}
WISHED_RE = re.compile(r"^(?:a|an|more|better|extra|free|cheaper|longer|later|earlier|proper|regular|another|new|"
                       r"(?!(?:nothing|something|anything|everything|thing|having)\b)\w+ing)\b", re.I)

# the verb a person would put before a thing asked for, by the thing's head noun ("Need relationships before the point
# of crisis" -> "Build relationships ...", "A regular forum to discuss ..." -> "Set up a regular forum ..."); any
# other thing is provided
VERB_FOR_THING = {
    **dict.fromkeys("relationship partnership trust capacity link bridge connection confidence coalition alliance".split(),
                    "build"),
    **dict.fromkeys("discussion conversation meeting event workshop consultation dialogue debate assembly festival".split(),
                    "hold"),
    **dict.fromkeys("forum hub group panel board scheme fund network helpline committee taskforce register database "
                    "directory website platform".split(), "set up"),
    **dict.fromkeys("strategy plan policy framework vision toolkit charter protocol".split(), "develop"),
    **dict.fromkeys("campaign programme program project initiative".split(), "run"),
    **dict.fromkeys("city town neighbourhood environment atmosphere culture sense".split(), "create"),
    "approach": "take",
}

# a report pointing at its own pages ("Recommendations for each group are proposed below"), not an ask
SIGNPOST_RE = re.compile(
    r"\b(are|is|were|was|have been|has been)\s+(proposed|suggested|recommended|set out|outlined|listed|presented|"
    r"described|summari[sz]ed|given|shown|detailed)\s+(below|above|overleaf|in (the )?(following|next|previous|attached)\s+"
    r"(section|chapter|table|pages?|appendix))\b", re.I)
# a thing said to be on its way ("Comms due to be launched imminently", "Report expected early February"): progress
# reported, not a thing asked for ("due to" alone is a cause: "More carers' support due to increased demand")
STATUS_RE = re.compile(
    r"\bdue\s+to\s+(be\s+\w+(ed|en)|start|open|close|launch|finish|begin|end|happen|arrive|complete|go\s+live)\b|"
    r"\bdue\s+(in|on|by|early|late|next|this|imminently|shortly|soon)\b|"
    r"\b(expected|scheduled|planned|pencilled\s+in|booked)\s+(for|in|on|by|early|late|next|this|imminently|shortly|soon)\b",
    re.I)

# words that look like a reported ask but report something else: the method ("Participants were asked to identify
# ..."), thanks ("We would like to thank ..."), or a finding after "suggested that" with no modal and no base form
# ("It was suggested that some have already had their fingers burned")
NOT_REQUEST_RE = re.compile(
    r"\b(participants|attendees|delegates|respondents|people|everyone|members|organisations|groups|residents|those|we|"
    r"they)\b[^.]{0,60}?\b(were|was|are|are being|have been)\s+(also\s+|then\s+|first\s+)?asked\s+to\s+(respond|complete|"
    r"comment|share|give|provide|rate|score|vote|prioriti[sz]e|rank|discuss|think|consider|reflect|write|fill|input|help|"
    r"take\s+part|identify|list|choose|say|note|describe|tell)\b|"
    r"\b(thank|thanks|gratitude|grateful)\b|"
    r"\b(suggested|proposed|recommended)\s+that\s+(?!(?:[\w'’-]+\s+){0,8}?(?:should|must|could|would|might|ought|need|needs|"
    r"needed|will|shall|be|is\s+needed|are\s+needed)\b)(?:[\w'’-]+\s+){0,6}?(has|have|had|is|are|was|were|did|does)\b",
    re.I)

# words that open a thing asked for after a subjectless "Should be ..." ("Should be more buses on Sundays")
WISH_OPENERS = {"more", "a", "an", "some", "better", "extra", "enough", "fewer", "less", "proper", "free", "cheaper"}

# an action named by its noun ("Use of interpreters", "Reduction in waiting times"): the verb it names, and
# whether the preposition after it stays ("Investment in youth services" -> "Invest in youth services")
NOMINAL_VERBS = {
    **{n: (v, False) for n, v in (("use", "use"), ("provision", "provide"), ("creation", "create"), ("removal", "remove"),
                                  ("development", "develop"), ("introduction", "introduce"), ("expansion", "expand"),
                                  ("extension", "extend"), ("reduction", "reduce"), ("improvement", "improve"),
                                  ("recruitment", "recruit"), ("promotion", "promote"), ("protection", "protect"),
                                  ("review", "review"), ("restoration", "restore"), ("reopening", "reopen"))},
    "investment": ("invest", True),
}
NOMINAL_RE = re.compile(rf"^(the\s+)?(?P<noun>{'|'.join(NOMINAL_VERBS)})\s+(?P<prep>of|in|to)\s+(?P<rest>\w.+)$", re.I)

# a prompt that asks for solutions: what is under it is an answer, hence a proposal
SOLUTION_PROMPT_RE = re.compile(
    r"(what would (help|have helped|make (a|the)( biggest| most| real)? difference|make .{1,40} (work|better|easier))|"
    r"what (needs|has) to (change|happen)|what (should|could|can|would|might) .{0,60}\b(do|change|improve|help)\b|"
    r"what does (better|good|success) look like|what would you (like|want) to see|solutions?\b|suggestions?\b|"
    r"what(?:'s|’s| is| are) (?:missing|lacking|needed)|\bgaps?\b|"
    r"^\W*(stop|start|continue|keep|change|begin|more of|less of|do more|do less)( doing)?\W*$|"  # retrospective boards
    r"\b(stop|start)\s*[/,&|-]\s*(start|stop|continue)\b|"
    r"\bideas\b|recommendations?\b|what would make|if you (ran|were in charge|had)|wish ?list|asks?\b|"
    r"how (can|could|should|might) (we|they|the|it|things)|priorities for|what (else )?(could|would) help|"
    r"what do (you|they|we) (want|need)|what needs to be done|actions? (needed|required|for)|\bdots?\b|\bvot(e|es|ing)\b|"
    r"^\W*((agreed|suggested|proposed|possible|key|our)\s+)?actions?(\s+(points?|items?|agreed))?\W*$|"
    r"\bpriorit|"
    r"^\W*(?:q\s?\d{1,2}\W*)?(?:(?:what|which|how|where|who)\b[^?]{0,100}\b(?:should|shall)|should|shall)\b)", re.I)
# a prompt that asks what is good, bad or happening now: a thing named under it is described, not asked for
DESCRIBE_PROMPT_RE = re.compile(
    r"\b(works?|worked|working|value|valued|love|like about|concerns?|issues?|problems?|hard|harder|difficult\w*|"
    r"barriers?|challenges?|unsafe|wrong|worr\w*|affect\w*|impact\w*|experiences?|background|currently|now|"
    r"last time|reflections|matters arising|findings|rationale|positives?|negatives?|strengths?|weakness\w*|"
    r"complaints?|like|who (is|are|gets?|feels?)|why)\b", re.I)  # "Who is lonely & why?": people named, not wished for

# a participle that reports a loss: "Grants cut with 6 weeks notice", "Library closed on Saturdays" are complaints,
# never a wish that it be done ("Grass cut more often" is one: "cut" is a loss only of money, services or staff)
LOSS_VERBS = {"close", "shut", "axe", "scrap", "slash", "halve", "withdraw", "cancel", "lose", "freeze", "delay", "ignore",
              "refuse", "reject", "abandon", "neglect", "overlook", "forget", "exclude", "deny", "postpone", "decommission",
              "downgrade", "vandalise", "vandalize", "damage", "break", "steal"}
RESOURCE_RE = re.compile(r"\b(grants?|fund\w*|budgets?|services?|staff|posts?|hours|pots?|contracts?|benefits?|pay|wages?|"
                         r"salar\w*|allowances?|provision|support|libraries|library|centres?|clubs?|buses|routes?)\b", re.I)


def lost(lemma: str, subject: str) -> bool:
    """`subject` + the participle of `lemma` reports a loss (`LOSS_VERBS`; "cut" or "reduce" of a resource)."""
    return lemma in LOSS_VERBS or lemma in ("cut", "reduce") and bool(RESOURCE_RE.search(subject))

# after "don't" with no subject, a state of mind, not an order: "Don't know who to talk to at the council"
MIND_VERBS = {"know", "understand", "think", "feel", "get", "see", "care", "like", "want", "believe", "remember", "trust",
              "have"}

# the words of an ask: reported, asked for, wanted (`proposals`' request form)
REQUEST_RE = re.compile(
    r"\b(asked|asking|called|calling|pressed|pushed|wished)\s+for\b|\basked (the \w+ )?to\b|"
    r"\b(was|were|is|are|has been|have been)\s+(widely\s+|also\s+|strongly\s+)?(requested|suggested|proposed|recommended|"
    r"called for|asked for)\b|\b(suggest(ed|s)?|propos(ed|es)|recommend(ed|s)?|request(ed|s)?|urged?)\s+(a|an|more|to)\b|"
    r"\bwants?\s+(a|an|the|to|more|someone|somebody|better|councils?|them|one|some|somewhere|something|proper|free|"
    r"longer|their|our|every|all)\b|"
    r"\b(?:would|['’]d)\s+(?:really\s+|also\s+|just\s+)?(?:like|love|welcome|prefer|want)\b|"
    r"\bwish(?:es|ed)?\s+(?:that\s+)?(?:[\w'’-]+\s+){1,4}?(?:would|could)\b|\bwish(?:es|ed)? there (?:was|were|is|are)\b|"
    r"\bwant(ed)? to see\b|\b(was|were) (keen|eager) (for|to see)\b|"
    r"\b(strong|widespread|broad|overwhelming|clear|general|considerable|wide|much|unanimous) support for\b|"
    r"\b(request|call|plea)s?\s+(was|were)\s+made\s+for\b|\b(was|were)\s+an?\s+(\w+\s+)?(request|suggestion|demand)\b|\b(was|were)\s+raised\s+(again|by\s+(several|many|some|most))\b", re.I)
# an obligation or need: should, must, need to, is essential (`proposals`' modal form)
OBLIGATION_RE = re.compile(
    r"\b(should|shouldn'?t|must|mustn'?t|ought to)\b|\b(a|the|real|urgent|clear) need for\b|^need(ed)? for\b|"
    r"\brequir(es|ing|ed)\s+\w+(\s+\w+)?\s+to\b|^requires?\b|\bneed(s|ed)?\s+(to|more|better|a|an|some|proper|real|longer|"
    r"investment|funding|support|training|commitment|institutional|structures|help|somewhere|someone|somebody)\b|"
    r"\b(has|have|had) to be\b|\b(we|it|councils?|everyone|organisations|landlords)\s+(have|has)\s+to\b|"
    r"\bneeds\s+(overcoming|resourcing|addressing|tackling|reviewing|changing|improving)\b|\bneeds to\b|"
    r"\b(is|are|was|were) (really |very |so |also |particularly |extremely )?(required|needed|essential|vital|crucial|key|"
    r"important)\b|\brequired\b|"
    r"\bit (is|was|would be) (essential|vital|important|crucial|key|necessary)\b|\bmake sure\b|\bwould help\b|"
    r"\b(?:it|that|this)(?: would|['’]d| will|['’]ll) (?:really |also |just |so )?be (?:a )?(?:good|nice|great|helpful|better|"
    r"lovely|brilliant|useful|wonderful|ideal|fantastic|amazing|handy|best)(?: idea)? (?:if|to)\b|"
    r"\b(seen|felt|considered|regarded) (as|to be) (vital|crucial|essential|critical|key|important)\b|"
    r"\b(felt|thought|considered) (important|necessary|vital|essential)\b|\bno (real )?substitute for\b|"
    r"\b(could|might) (be|also be) (done|created|started|set up|developed|introduced|used|made|extended|offered)\b|"
    r"\bresponsibility to\b|\bmay be a need\b|\bthere is a need\b|\bcould (be )?encourage|"
    r"\b(we|they|i|you|people|residents|families|parents|tenants|children|kids|everyone|businesses)\s+(really\s+|also\s+|just\s+|"
    r"urgently\s+|desperately\s+|still\s+)?need\b|"
    r"\b(see|sees|saw)\s+(it\s+|this\s+|them\s+)?as\s+(vital|crucial|essential|critical|key|important)\b", re.I)
OBLIGATION_EXCLUDE_RE = re.compile(r"\bpeople needing\b|\bno need\b|\bshould have been\b|\bwould have thought\b|"
                              r"\bif you need\b|\bwhat needs to\b|\b(don'?t|doesn'?t|do not|does not|didn'?t) need\b", re.I)
# asked of the speakers, not by them: "we are asked for data but never get any back" (but "The officer was asked to
# chase the repairs" reports an ask)
PASSIVE_ASKED_RE = re.compile(r"\b(we|i|us|groups|organisations|charities|volunteers|they)\s+(am|are|were|get|got|keep getting|"
                              r"have been|are being)\s+(always\s+|constantly\s+|often\s+|just\s+|only\s+|never\s+|still\s+)?"
                              r"asked\s+(for|to)\b", re.I)

# what a bare participle reports rather than wishes done (`rules._done_verb`): a past time, who did it, a wish verb
PAST_TIME_RE = re.compile(r"\b(last|ago|yesterday|earlier|already|since|previously|in\s+(19|20)\d\d)\b", re.I)
WISH_VERBS = {"want", "like", "wish", "prefer"}
AGENT_RE = re.compile(r"^(by|of|from|in\s+(19|20)\d\d)\b", re.I)  # "run by volunteers", "made of wood": a description
