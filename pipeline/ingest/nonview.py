"""Lines of a notes file that are not participants' views: title blocks, dates and venues, note-takers,
attendee and apology lists, welcome and ground rules, agenda items, next steps, contact lines and page
furniture (issue 11).

`mark_non_views(lines)` reads the whole file's lines before the block parser does and returns
{line number: kind}. The notes parser leaves each marked line out, with its kind as the reason in the
ingest report, so nothing is lost silently.

The rules use layout rather than topic words, so they hold on notes nobody tuned for:
- position: the leading title block, the short lines before the first content line (a bullet, a long
  line, a sentence or a section heading);
- block structure: a roster, agenda or next-steps heading takes the list under it, across a blank line
  when the list goes on in the same bullet style (two columns pasted from a PDF); under "Actions:" only the
  organisers' errands are taken (`errand`: an owner, a date, logistics), the proposals stay;
- line shape: "Key: value" metadata (Date:, Venue:, Present:, Apologies:, Facilitator:), dates and
  times, short mostly capitalised list entries, "a | b | c" running footers, lines repeated in a file;
- the few fixed phrases facilitators use for these whatever the topic ("Notes taken by", "Ground
  rules", "Next steps", "for a copy", "in another format");
- at a public meeting, the people a "Panel:" or "Chair:" line names: their turns ("RH: ...", "Hughes: ...",
  "SP: Thank you, next question") are the panel's answers (kind "panel") or the chair's procedure ("agenda"),
  not participants' views; a questioner's turn ("Q3 (resident): ...") is left to the parser.
- an online export's furniture: an entry's header line ("#1041 TerracedTess | 02/06/2025 19:47 | [+38]",
  "Official reply - Council | 03/06/2025"), counts and sort order, moderation notes, "this consultation has closed";
  the words typed straight under an entry header are that person's, never a welcome ("Thank you for the drop-in...").
- the organisers' own answers (kind "reply"): a labelled reply or report-back ("Steering Group response: ...",
  "We did: ...", "Our response:", "Change to plan:", "Still to do:"), the words under an official reply's entry header
  ("> Official reply - Castlebrook Council | 13/06/2025"), and a "You said, we did" box, with its "You said: ..." lines;
- a section the notes mark as not for publication (kind "internal"): "STAFF REFLECTIONS (not for publication)",
  "FOR THE STEERING GROUP ONLY - please don't forward", "Facilitator notes - internal": the heading and its lines.
A marked line's wrapped continuation (no bullet, lower-case start) takes the same mark.

Measured in `benchmarks/views_proposals.py` (set A: 626 lines of 12 files in different layouts; held
out: 73 lines of 2 files written after the rules).
"""
from __future__ import annotations

import re

from ..defaults import CONTENT_LINE_WORDS, ROSTER_ENTRY_MAX_WORDS, TITLE_BLOCK_MAX_LINES
from .layout import STAMP_RE, TALLY_RE, caps_lead, hard_breaks
from .names import is_first_name

KINDS = ("title", "date_venue", "note_taker", "attendees", "welcome", "ground_rules", "agenda", "next_steps",
         "contact", "page_furniture", "byline", "panel", "reply", "internal")

BULLET = re.compile(r"^\s*(?:[-•*▪◦·‣–+]|\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-h]\)|[A-PR-Z]\d{1,2}[.)](?=\s+[\"“A-Z]))\s+\S")
WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_MONTH = r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)"
_DAY = r"(mon|tues|wednes|thurs|fri|satur|sun)day"
DATE_RE = re.compile(
    rf"(\b{_DAY}\b|\b\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?\b|\b{_MONTH}\s+\d{{4}}\b|"
    rf"\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{1,2}}([.:]\d{{2}})?\s*(am|pm)\b|\b\d{{1,2}}:\d{{2}}\b)", re.I)
VENUE_RE = re.compile(r"^(\*\*)?(venue|location|where|place|held at)\b|\bheld (on|at|in)\b|^(minutes|notes|report) of (the )?"
                      r"(public |annual |residents'? )?meeting", re.I)
# "Key: value" metadata, Markdown bold or not
META_RE = re.compile(r"^\W*(?P<key>date|time|when|venue|location|where|held at|facilitators?|(note|minute)[- ]?takers?|"
                     r"minutes( taken by)?|"
                     r"notes|recorder|chair(ed by)?|prepared by|author|written by|version|status|classification|"
                     r"(?:[a-z]+s |also )?present|observers?|attendees|attendance|in attendance|participants|apologies|apologies received|"
                     r"organisations attending|attending|invited|next meeting|date of (the )?next meeting|"
                     r"panel|panell?ists|on the panel|speakers|moderator|host|convenor|weather|set[- ]?up|materials|"
                     r"staffed by|on the (stall|stand|desk|door))\W*\s*[:–-]\s*", re.I)
PRESENT_KEY_RE = re.compile(r"^(?:[a-z]+s |also )present$|^observers?$", re.I)  # "Members present", "Observers"
META_KIND = {"date": "date_venue", "time": "date_venue", "when": "date_venue", "venue": "date_venue",
             "location": "date_venue", "where": "date_venue", "held at": "date_venue", "weather": "date_venue",
             "set-up": "agenda", "setup": "agenda", "set up": "agenda", "materials": "agenda"}
ROSTER_KEYS = ("present", "attendees", "attendance", "in attendance", "participants", "apologies", "apologies received",
               "organisations attending", "attending", "invited", "panel", "panellists", "panelists", "on the panel",
               "speakers")
# who answers or runs a public meeting, named on its "Panel:" / "Chair:" lines: their turns are not participants' views
PANEL_LINE_RE = re.compile(r"^\W*(?P<key>panel|panell?ists|on the panel|speakers|chair(ed by)?|facilitators?|moderator|host|"
                           r"convenor)\W*\s*[:–-]\s*(?P<names>.+)$", re.I)
HONORIFIC_RE = re.compile(r"^(cllr|councillor|insp|inspector|sgt|sergeant|pc|pcso|supt|dr|prof|professor|rev|revd|mr|mrs|ms|"
                          r"miss|mx|sir|dame|lord|lady)\.?$", re.I)
# a session where people question those who run things; at an interview's "Q&A" the answers are the participant's
QA_HEAD_RE = re.compile(r"(\bQ\s?&\s?A\b|\bquestions? (and|&) answers?\b)[^.?!]{0,12}\b(with|to|for|from)\s+(the\s+)?(council|"
                        r"officers?|councillors?|cllrs?|panel|police|cabinet|mp|mayor|nhs|icb|trust|board|landlord|"
                        r"housing association|director|chief|leader|minister)|\bquestion time\b", re.I)
SPEAKER_RE = re.compile(r"^\W*(?P<label>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s*:\s+\S")
NEXT_MEETING_KEYS = ("next meeting", "date of next meeting", "date of the next meeting")
NOTE_TAKER_RE = re.compile(r"\b(notes?|minutes) (were )?(taken|typed|written|recorded|agreed)( up)?( by)?\b|"
                           r"\btranscribed (from|by)\b|\blightly edited\b|\bnames? (were )?(withheld|removed|changed)\b|"
                           r"\btyped up (from|by)\b|\bwrite-?up by\b|\bwritten up by\b|\bprepared by\b|\blog (was )?kept by\b|"
                           r"\b(note|minute)[- ]?takers?\b|^\W*facilitated by\b|\bnot for circulation\b|\bspelling as written\b|"
                           r"^\(?(notes|minutes) (from|of) \w+ tables?|\b(are|were|have been) (summarised|paraphrased|abridged)\b", re.I)
ROSTER_HEAD_RE = re.compile(r"^\W*(attendees|attendance|present|in attendance|apologies( received)?|participants|"
                            r"organi[sz]ations (attending|present|represented)|list of (organi[sz]ations|attendees|"
                            r"participants|contributors)|those present|contributors|panel members|members present|"
                            r"invited|who came)\W*$", re.I)
WELCOME_RE = re.compile(r"^\W*(welcome\b|housekeeping\b|introductions?\b|closing( remarks)?\W*$|close of meeting|"
                        r"(the )?(chair|chairman|chairwoman|chairperson|mayor|facilitator|host|convenor|clerk|organiser)"
                        r"(['’]s)? (welcome|opening|introduction|remarks|address)\b|"
                        r"(opening|closing) (prayers?|remarks|words|reflections?|circle)\b|"
                        r"(thanks|thank you)\s+(to|for|all|everyone)\b)|\bwelcomed (everyone|all|attendees|participants|"
                        r"people|the group)\b|\bthanked (everyone|all|participants|people|the group|"
                        r"the (panel|panell?ists|speakers|chair|facilitators?|organisers|host))\b|"
                        r"\bopened the meeting\b|\bmeeting (closed|ended) at\b|^\W*(the )?meeting (closed|ended|finished)\b|"
                        r"^\W*close of (the )?(meeting|day|session|event|evening|workshop)\W*$|"
                        r"\bthanked the (committee|organisers|volunteers|officers?|members|secretary|treasurer)\b", re.I)
# a bullet that is nothing but a thank-you formula ("1. Thank you for asking.") thanks the organisers
THANKS_ONLY_RE = re.compile(r"^\W*(many )?(thanks|thank you)( (so|very) much)?( (for|to) (asking|listening|the opportunity|"
                            r"having us|your time|organising( this| today)?|this|you all|everyone|all))?\W*$", re.I)
# the business under a treasurer's or finance item of minutes (balances, grants received) and housekeeping notes
PROCEDURAL_HEAD_RE = re.compile(r"^\W*((treasurer'?s|finance|financial|accounts?)( report| update)?|"
                                r"housekeeping|domestic arrangements|practical(ities| information)|"
                                # the organisers' welcome and framing: "Welcome & context", "Purpose of the day"
                                r"welcome( (and|&) (context|introductions?|purpose|background|scene[- ]setting))?|"
                                r"purpose of (the|today'?s) (day|session|meeting|event))\W*$", re.I)
THANKS_RE = re.compile(r"^\W*(thanks|thank you)\b", re.I)  # in a bullet, a participant may be thanking the youth club
GROUND_RE = re.compile(r"^\W*(ground rules|house rules|chatham house|confidentiality\s*:)|\bground rules (were )?agreed\b|"
                       r"\b(moderated|checked|reviewed) against (our|the) (house|community|site) rules\b", re.I)
# an online export's own lines: counts and order shown, a moderated entry, the consultation closed
EXPORT_RE = re.compile(r"^\W*((comments|responses|entries|posts) (shown|listed|sorted|displayed)|showing \d|sorted by|filtered by|"
                       r"total (responses|comments|respondents)|(export|report) generated)\b|\b(removed|hidden|deleted) by (a |the )?"
                       r"(moderator|admin\w*)\b|^\W*\[?(comment|post|response) (removed|hidden|deleted)\b|^\W*(this|the) "
                       r"(consultation|survey|discussion|forum|questionnaire) (is now |has now |has |is |was )?(closed|ended)\b|"
                       r"\bcomments can no longer be\b", re.I)
# an entry's header in an export: a short line with a time or date and "|" fields or a "#1041" number
ENTRY_HEAD_RE = re.compile(r"^\W*(#\d+\b.*\|.*|[^|]{2,60}\|.*)$")
# a count of forms or people, not a view: "32 forms handed in", "About 40 people came"
RETURNS_RE = re.compile(r"^\W*((approx\.?|about|around|over|some) )?\d+\s+(feedback )?(forms?|responses|questionnaires|surveys|"
                        r"cards|people|participants|residents|comments)\s+(were\s+)?(handed in|returned|received|completed|"
                        r"submitted|collected|took part|attended|came)\b", re.I)
AGENDA_HEAD_RE = re.compile(r"^\W*(\d+\.?\s*)?(agenda|running order|programme for the day|order of business)\W*$", re.I)
PROCEDURAL_RE = re.compile(r"^\W*(minutes of (the )?(last|previous) meeting|matters arising|"
                           r"(agreed|approved|accepted|signed|confirmed) as an? (true|correct|accurate|fair) record|"
                           r"apologies (as above|were received|noted)|(proposed|moved) (by )?[A-Z]?[\w.' ]{1,30},? seconded\b|"
                           r"any other business|aob)\b", re.I)
# an action point given to one of the organisers, not a participant's proposal: "JB to circulate the contact
# list", "Dave to log the street lights", "Me - chase highways re Elm Rd" (an organiser's errand, named by its verb)
ERRANDS = (r"(circulate|e-?mail|send|forward|book|contact|chase|ring|call|phone|write( up)?|type( up)?|arrange|log|"
           r"check|follow up|find out|report back|feed back|share|update|invite|organise|organize|draft|look into|"
           r"put\s+\w+\s+on|speak to|talk to|liaise|confirm|collate|pass on)\b")
OWNER_RE = re.compile(r"^\W*(?:[A-Z]{2,3}|Me|[A-Z][a-z]{2,12})\s*(?:to|will|[-–:])\s+" + ERRANDS)


# words that open a fragment before "to <verb>" without naming an organiser: "Someone to ring who picks up", "Hard
# to talk to"
NOT_OWNERS = {"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "hard", "easy", "easier",
              "harder", "need", "needs", "time", "nothing", "something", "somewhere", "nowhere", "access", "able",
              "unable", "have", "want", "wants", "way", "ways", "place", "chance", "good", "better", "best", "important",
              "vital", "difficult", "impossible", "free", "right", "duty", "plan", "plans", "aim", "how", "what", "where",
              "when", "why", "who", "which", "more", "less", "nice", "great", "useful", "helpful", "happy", "keen",
              # bodies a participant asks to act: "Council to book more skips"
              "council", "councils", "police", "school", "schools", "residents", "tenants", "group", "groups", "parents",
              "government", "landlords", "staff", "officers", "volunteers", "members", "nhs", "gp", "gps"}


def owner_action(s: str) -> bool:
    m = OWNER_RE.match(s)
    return bool(m) and s.lstrip(" -•*").split(" ", 1)[0].lower() not in NOT_OWNERS


# a list of the group's own actions ("Actions:", "Agreed actions"): at an assembly its items are the proposals;
# only those that read as an errand (`errand`) are next steps
ACTIONS_HEAD_RE = re.compile(r"^\W*(\d+(\.\d+)*\.?\s*)?(actions?|action (points|items)|actions? agreed|agreed actions|"
                             r"(suggested|proposed) actions)\s*[:–—-]?\s*$", re.I)
# who does it ("JB", "PW / MO", "Cllr SA", "Sarah", "Fatima & Tom", "Me", "the facilitators"), then "to" or "will"
OWNER_LEAD_RE = re.compile(r"^\W*(?:(?:[A-Z]{2,3}|Cllr\.?\s+[A-Z]\w*)(?:\s*[/&,]\s*[A-Z]{2,3})*|"
                           r"(?P<first>[A-Z][a-z]{2,12})(?:\s*(?:&|and|/)\s*[A-Z][a-z]{2,12})?|"
                           r"me|I|we|the (?:team|facilitators?|organisers?|chair|secretary|clerk|co-?ordinator))\s*"
                           r"(?:to|will|[-–:])\s+\w", re.I)
OWNER_TAIL_RE = re.compile(r"[(\[]\s*(?:(?P<initials>[A-Z]{2,3})|(?P<first>[A-Z][a-z]{1,12}))\s*[)\]]\s*$")  # "... (Jo)"
# when: a deadline or a dated day ("by Friday", "30 April", "next mtg"), not a weekday a proposal names ("on Saturdays")
WHEN_RE = re.compile(rf"\b(by|before)\s+(the\s+)?(end|close|next|start|xmas|christmas|easter|summer|{_DAY}|{_MONTH}\b|\d)|"
                     rf"\b\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}\b|"
                     r"\bnext\s+(\w+\s+)?(meeting|mtg|time|forum|session)\b|\btbc\b|"
                     r"\bto be confirmed\b|\b(will|shall)\b|\b(I|we)['’]ll\b|\bgoing to\b", re.I)
# the logistics of running the group, as an order: "Book room for ...", "Send round the slides"
LOGISTICS_RE = re.compile(r"^\W*(book|circulate|e-?mail|ring|phone|chase|type up|write up|forward|print|photocopy)\b|"
                          r"^\W*send\s+(round|out|on|(the\s+)?(notes|slides|minutes|link|list|invites?|write-?up))\b|"
                          r"^\W*ask\s+[\w' ]{2,40}\s+for\s+(a|an|the|their|updated|up-to-date)\b[^.]{0,40}\b(list|contacts?|"
                          r"details|slides|notes|figures|numbers|dates|minutes|copy)\b", re.I)


def errand(s: str) -> bool:
    """An item of an actions list that is the organisers' own errand, not a proposal: it names who does it (a
    first name, initials, "the team", first or last) or when ("by 30 April", "next meeting"), speaks of what will
    happen, orders the group's logistics ("Book room for ..."), or is a row of an action table
    ("| 2 | Letter to Head of Repairs | PW | 30 May |")."""
    if owner_action(s) or "|" in s or "\t" in s or WHEN_RE.search(s) or LOGISTICS_RE.search(s):
        return True
    m = OWNER_LEAD_RE.match(s) or OWNER_TAIL_RE.search(s)
    if not m:
        return False
    first = m.group("first")
    if first is None:
        return True
    return first.lower() not in NOT_OWNERS and is_first_name(first, strict=False)


NEXT_RE = re.compile(r"^\W*(\d+(\.\d+)*\.?\s*)?(next steps?|what happens next|next|actions?( points?)?|action items?|"
                     r"follow[- ]up|date of (the )?next meeting|next meeting( of (the )?[\w'’ ]{1,50})?)\b\s*[:–—-]|"
                     r"^\W*(action|actions|resolved|"
                     r"resolutions?|decisions?|decided|agreed)\s*:|"
                     r"^\W*(\d+(\.\d+)*\.?\s*)?(next steps?|what happens next|actions|follow[- ]up|action (points|items|log)|"
                     r"summary of actions|actions? agreed|agreed actions|dates for (your|the) diary|diary dates|coming up|"
                     r"(upcoming|forthcoming|future) (events|meetings|dates))\W*$", re.I)
CONTACT_RE = re.compile(r"\bfor a (paper |printed |large[- ]print )?cop(y|ies)\b|\bcop(y|ies) in (large print|braille|"
                        r"another|other)\b|\bin (another|an alternative|a different|other) (format|language)s?\b|"
                        r"\bjoin the mailing list\b|\bplease (contact|email|e-mail|call|ring)\b|"
                        r"^\W*contact\s+(us|me|him|her|them|the\s+[\w'-]+(\s+[\w'-]+){0,3}|[A-Z][\w'-]+(\s+[A-Z][\w'-]+)?)"
                        r"\s+(at|on|via|for|by|to)\b|^\W*(for (more|further) information|further information|get in touch)\b|"
                        # a deadline for responses: "Comments to the clerk by 31 March", "Please send your views by Friday"
                        rf"^\W*(please )?((send|return|email|e-mail) )?(your |any )?(further )?(comments|responses|views|"
                        rf"feedback|replies|suggestions|questions)\b[^.;!?]{{0,60}}?\b(by|before|no later than)\s+"
                        rf"(\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\b|{_DAY}\b|{_MONTH}\s+\d|(the )?(end|close) of)", re.I)
# A bare e-mail address or phone number: a contact line outside bullets, but inside a participant's bullet
# ("Ring the hub on 0151 … was suggested") it is part of a view unless the bullet is little more than the detail.
CONTACT_DETAIL_RE = re.compile(r"[\w.-]+@[\w-]+\.[\w.]+|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b")
FURNITURE_RE = re.compile(r"^\W*(official|official[- ]sensitive|confidential|draft|restricted|not protectively marked)\W*$|"
                          r"\bpage \d+( of \d+)?\b|^\W*version \d|^\W*v\d+(\.\d+)+\b|^[^|]{2,60}(\|[^|]{2,80}){2,}$", re.I)
BYLINE_RE = re.compile(r"^\W*by [A-Z][\w'-]+(\s+[A-Z][\w'-]+){0,3}\W*$")
SIGNOFF_RE = re.compile(r"^[A-Z][a-z'-]+(\s+[A-Z][\w'-]+){1,2},$|"  # "Tracey Gore," over her role
                        r"^[A-Z][a-z'-]+(\s+[A-Z][\w'-]+){1,2},\s+(director|chair|chief executive|ceo|manager|head|"
                        r"co-?ordinator|officer|lead|president|secretary|trustee|founder|convenor)\b[^.;:!?]{0,160}$|"
                        r"^(cllr|councillor|dr|prof|professor|rev|revd)\.?\s+[A-Z][\w'-]+(\s+[A-Z][\w'-]+)*\s*[-–,]\s*[^.]*$",
                        re.I)
ITEM_PREFIX_RE = re.compile(r"^\W*((item|section)\s+\d{1,2}\.?|\d{1,2}(\.\d{1,2})*\.?)\s+", re.I)
HEADING_WORDS_RE = re.compile(r"^(workshop|session|breakout|part|day|table|group|theme|round|panel|item|sheet|topic|q)\s*"
                              r"[\w.]{0,4}\s*[:.–—-]", re.I)
# minutes' items whose points are members' views: left to the parser as section headings
SECTION_OF_VIEWS_RE = re.compile(r"^\W*(matters arising|any other business|aob|a\.o\.b\.?)\W*$", re.I)
# a whole line in brackets: an editor's note when typed straight under a heading or question
# a line that ends a sentence, maybe inside a closing quotation mark ('"More bins."')
SENTENCE_END_RE = re.compile(r"[.?][\"”’]*\s*$")
# a legend of codes, not a view: 'Key to "From": R = resident, B = business', "Legend: P = parent; C = child"
LEGEND_RE = re.compile(r"^\W*(key( to [^:]{1,40})?|legend|abbreviations( used)?|codes( used)?)\s*[:–—-]\s*\S", re.I)
CODE_PAIR_RE = re.compile(r"(?:^|[\s,;:(])[\w/.&'-]{1,6}\s*=\s*\w")
EDITOR_NOTE_RE = re.compile(r"^\s*(\([^()]{3,200}\)|\[[^\[\]]{3,200}\])\s*$")
# the organisers' reply or report-back, labelled: "Steering Group response:", "Council's response -", "We did:", "What
# we've done:", "Still to do:", "Change to plan:", "Officer comment:"; a reply is never a participant's view
REPLY_LABEL_RE = re.compile(
    r"^\W*(?:(?:(?:the |our )?(?:council|officers?|official|steering group|working group|project team|organisers?|"
    r"landlord|association|committee|trust|panel|(?:[A-Z][\w'’&-]*\s+){1,3}(?:council|team|group|homes|housing))(?:['’]s?)?\s+"
    r"(?:response|reply|answer|comment|summary|position|view)s?(?:\s+(?:for|to|on)\s+[^:]{1,40})?)|"
    r"our (?:response|reply|answer|comment)s?|response from (?:the )?[\w'’ ]{2,40}|we did|what we(?:['’]ve| have)? did|"
    r"what we(?:['’]ve| have) done|we(?:['’]ve| have) done|we will|what we(?:['’]ll| will) do|we are doing|still to do|"
    r"changes? (?:to|in) (?:the )?(?:plan|policy|document|brief|draft|strategy)|proposed changes?|action taken)\s*[:–—-]\s*\S",
    re.I)
# the head of a "You said, we did" box, and a "You said: ..." line that pairs with the reply under it
YOU_SAID_HEAD_RE = re.compile(r"^\W*you (?:said|told us|asked)\s*[,:/&-]?\s*(?:and\s+)?we (?:did|have done|will|are doing|"
                              r"listened|acted|responded)\b", re.I)
YOU_SAID_RE = re.compile(r"^\W*you (?:said|told us|asked(?: for)?)\s*[:–—-]", re.I)
# an entry header in an export that is the organisers' reply: "> Official reply - Castlebrook Council | 13/06/2025"
REPLY_ENTRY_RE = re.compile(r"\b(?:official|council|officer|moderator|admin\w*|staff|team|organisers?)\b[^|]{0,40}"
                            r"\b(?:reply|replied|response|responded|answer|answered)\b|\b(?:reply|response) from (?:the )?"
                            r"(?:council|officer|team|organisers?)\b", re.I)
# a heading that marks what follows as not for publication: "STAFF REFLECTIONS (for the team, not for publication)",
# "FOR THE STEERING GROUP ONLY - please don't forward", "Facilitator notes - internal"
INTERNAL_HEAD_RE = re.compile(
    r"\bnot (?:for|to be) (?:publication|circulation|sharing|the report|publishing|forwarding)\b|\bnot for (?:publication|"
    r"circulation)\b|\b(?:please )?(?:don['’]t|do not) (?:forward|circulate|share|publish)\b|\binternal(?: only| use)?\W*$|"
    r"^\W*internal\b|^\W*(?:for (?:the )?[\w'’ ]{2,30}? only)\b|\b(?:staff|team|facilitators?['’]?s?|organisers?['’]?) "
    r"(?:reflections?|debrief|notes? to (?:self|ourselves))\b", re.I)
_LIST_STOP = {"of", "and", "the", "for", "in", "a", "&", "de", "at", "on", "with", "to"}


def words(text: str) -> list[str]:
    return WORDS.findall(text)


def _is_listy(text: str) -> bool:
    """A roster entry: an organisation or a person, short, mostly capitalised, without sentence punctuation."""
    body = re.sub(r"^\d{1,3}[.)]\s*", "", BULLET.sub("", text) if BULLET.match(text) else text).strip()
    w = words(body)
    if not w or len(w) > ROSTER_ENTRY_MAX_WORDS or body.rstrip()[-1:] in ".?!:":
        return False
    if "\t" in text:
        return True
    content = [x for x in w if x.lower() not in _LIST_STOP]
    return sum(1 for x in content if x[0].isupper()) >= max(1, 0.6 * len(content))


def _heads(text: str, raw: str) -> bool:
    """A line that could head what is under it: short, not a bullet, not ending a sentence (a question may)."""
    return bool(text) and not BULLET.match(raw) and len(words(text)) <= 20 and text[-1:] not in ".,;!"


def _is_content(text: str, raw: str) -> bool:
    """A line that starts the body of the notes: a bullet, a long line, a sentence or a section heading."""
    return bool(BULLET.match(raw)) or len(words(text)) >= CONTENT_LINE_WORDS or bool(SENTENCE_END_RE.search(text)) or \
        bool(HEADING_WORDS_RE.match(text)) or text.lstrip().startswith("#")


def _long_title(lines: list[str], stripped: list[str], nonblank: list[int]) -> set[int]:
    """A title typed over long lines ("<Plan>: pre-submission consultation" / "Appendix C: schedule of comments
    received ...") closed by its date, version or note-taker line, with no blank line between: the lines above that
    line, each a title's shape (a colon or dash, or mostly capitalised; no full stop), are the title block however
    long."""
    group = [i for k, i in enumerate(nonblank) if i == nonblank[0] + k][:TITLE_BLOCK_MAX_LINES]
    for m, i in enumerate(group[1:], start=1):
        if _is_metadata(stripped[i]) or FURNITURE_RE.search(stripped[i]):
            above = group[:m]
            return set(above) if all(_title_shaped(stripped[j], lines[j]) for j in above) else set()
    return set()


def _title_shaped(text: str, raw: str) -> bool:
    w = words(text)
    capitalised = [x for x in w if x.lower() not in _LIST_STOP and x[0].isupper()]
    return not BULLET.match(raw) and 0 < len(w) <= 25 and text[-1:] not in ".!?;," and not TALLY_RE.search(text) and \
        (bool(re.search(r":\s|\s[-–—]\s", text)) or len(capitalised) * 2 >= len([x for x in w if x.lower() not in _LIST_STOP]))


def _wrapped_paragraph(stripped: list[str], i: int) -> bool:
    """Line i starts a sentence wrapped over short lines (lower-case continuations), as PDF columns give."""
    k, text = i + 1, stripped[i]
    while k < len(stripped) and stripped[k][:1].islower():
        text += " " + stripped[k]
        k += 1
    return k > i + 1 and (len(words(text)) >= CONTENT_LINE_WORDS or text.endswith("."))


def _is_metadata(text: str) -> bool:
    return bool(DATE_RE.search(text) or NOTE_TAKER_RE.search(text) or VENUE_RE.search(text) or META_RE.match(text))


def _title_block(lines: list[str], stripped: list[str]) -> dict[int, str]:
    """The leading lines before the first content line, each typed (title, date_venue, note_taker...); short
    lines past the first TITLE_BLOCK_MAX_LINES that still come before any content are cover-page furniture."""
    nonblank = [i for i, s in enumerate(stripped) if s]
    titled = _long_title(lines, stripped, nonblank) if nonblank else set()
    zone: list[int] = []
    for k, i in enumerate(nonblank):
        s = stripped[i]
        meta = META_RE.match(s)
        if ROSTER_HEAD_RE.match(s) or AGENDA_HEAD_RE.match(s) or (meta and (meta.group("key").lower() in ROSTER_KEYS
                                                                          or PRESENT_KEY_RE.match(meta.group("key")))):
            break  # a list heading starts the list, not the title
        nxt = nonblank[k + 1] if k + 1 < len(nonblank) else None
        subtitle = bool(HEADING_WORDS_RE.match(s)) and k < TITLE_BLOCK_MAX_LINES and nxt == i + 1 and \
            _is_metadata(stripped[nxt]) and not BULLET.match(lines[nxt])  # "Day 4 - Deliberation" over its date
        if BULLET.match(lines[i]) or ((_is_content(s, lines[i]) or _wrapped_paragraph(stripped, i))
                                      and not (_is_metadata(s) or subtitle or i in titled or (k == 0 and s.startswith("# ")))):
            break  # a bullet always starts the notes, even one that mentions a time
        if k and entry_head(s) and not BULLET.match(lines[i]):
            break  # an export's first entry header ("#301 reader_ray | 02/05/2025 18:22") starts the posts
        if TALLY_RE.search(s) or STAMP_RE.match(s) and len(words(s)) >= CONTENT_LINE_WORDS:
            break  # a voted item ("Cheaper fruit |||| (15)") or a timed log entry ("09:45 Man, 40s ...") is content
        if zone and i > zone[-1] + 1 and not _is_metadata(s) and (":" in s or len(words(s)) > 6) and \
                (NOTE_TAKER_RE.search(stripped[zone[-1]]) or META_RE.match(stripped[zone[-1]])):
            break  # past a gap after the note-taker line that closes a title block, a label or a phrase starts the notes
        zone.append(i)
    if len(zone) > 1:
        # the last short line right before content is that content's heading, unless it is metadata
        last = zone[-1]
        nxt = next((j for j in nonblank if j > last), None)
        if nxt is not None and (BULLET.match(lines[nxt]) or len(words(stripped[nxt])) >= CONTENT_LINE_WORDS
                                or SPEAKER_RE.match(stripped[nxt]) or TALLY_RE.search(stripped[nxt])) \
                and not (DATE_RE.search(stripped[last]) or META_RE.match(stripped[last])
                         or NOTE_TAKER_RE.search(stripped[last]) and not caps_lead(stripped[last])  # "LOG (typed up ...)"
                         or META_RE.match(stripped[nxt])
                         or ROSTER_HEAD_RE.match(stripped[nxt])):  # a "Present: ..." line is no heading's content
            zone.pop()
    out: dict[int, str] = {}
    for k, i in enumerate(zone):
        s = stripped[i]
        meta = META_RE.match(s)
        if NOTE_TAKER_RE.search(s):
            out[i + 1] = "note_taker"
        elif meta:
            out[i + 1] = META_KIND.get(meta.group("key").lower(), "note_taker")
        elif DATE_RE.search(s) or VENUE_RE.search(s):
            out[i + 1] = "date_venue"
        elif FURNITURE_RE.search(s):
            out[i + 1] = "page_furniture"
        elif BYLINE_RE.match(s):
            out[i + 1] = "byline"
        else:  # past the first few lines, short lines before any content are a cover page: logos, an address
            out[i + 1] = "title" if k < TITLE_BLOCK_MAX_LINES else "page_furniture"
    return out


def _panel_speakers(stripped: list[str]) -> dict[str, str]:
    """{speaker label: kind} for the people a "Panel:" / "Chair:" line names: each person's name, surname, title
    and surname, and initials ("Cllr Rita Hughes (Cabinet Member)" -> Rita Hughes, Hughes, Cllr Hughes, RH).
    A panel's answers are "panel", a chair's or facilitator's procedural lines "agenda"."""
    out: dict[str, str] = {}
    for s in stripped:
        m = PANEL_LINE_RE.match(s)
        if not m:
            continue
        key = m.group("key").lower()
        kind = "panel" if key.startswith(("panel", "on the", "speaker")) else "agenda"
        out[m.group("key").split()[0].title()] = kind  # "Chair: Thank you, next question"
        names = re.sub(r"\([^()]*\)", "", m.group("names"))
        for entry in re.split(r"[,;]|\band\b", names):
            w = [x.strip(".") for x in entry.split()]
            title = [x for x in w if HONORIFIC_RE.match(x)]
            name = [x for x in w if not HONORIFIC_RE.match(x) and x[:1].isupper() and x.isalpha()]
            if not 1 <= len(name) <= 3 or len(name) != len(w) - len(title):
                continue  # not a person's name ("Fenwick Tenants' and Residents' Association")
            labels = {" ".join(name), name[-1], "".join(x[0] for x in name)}
            labels |= {f"{t} {name[-1]}" for t in title}
            for label in labels:
                out.setdefault(label, kind)
    return out


def _meta_kind(key: str, value: str) -> tuple[str, str | None]:
    """(kind, list mode) of a "Key: value" line."""
    if key in ROSTER_KEYS or PRESENT_KEY_RE.match(key):
        return "attendees", ("attendees" if not words(value) else None)
    if key in NEXT_MEETING_KEYS:
        return "next_steps", None
    return META_KIND.get(key, "note_taker"), None


def entry_head(s: str) -> bool:
    """An entry's header line in an export: who posted and when ("#1041 TerracedTess | 02/06/2025 19:47 | [+38]")."""
    return len(words(s)) <= 14 and bool(ENTRY_HEAD_RE.match(s) and DATE_RE.search(s))


def _phrase_kind(s: str, raw: str, counts: dict[str, int]) -> str | None:
    """A line outside any list that is a non-view by its fixed phrase or shape."""
    bare = ITEM_PREFIX_RE.sub("", s)  # "Item 1. Welcome and apologies" -> "Welcome and apologies"
    bullet = bool(BULLET.match(raw))
    n = len(words(s))
    if not bullet and entry_head(s):
        return "byline"  # "#1041 TerracedTess | 02/06/2025 19:47 | [+38]": who posted, when
    if EXPORT_RE.search(s) and n <= 30:
        return "page_furniture"
    if RETURNS_RE.match(s) and n <= 30:
        return "attendees"
    if GROUND_RE.search(bare):
        return "ground_rules"
    if owner_action(bare) and n <= 20:
        return "next_steps"
    if WELCOME_RE.search(bare) and n <= 40 and not (bullet and THANKS_RE.match(bare)) or THANKS_ONLY_RE.match(bare):
        return "welcome"
    if PROCEDURAL_RE.match(bare) and not (s.startswith("#") and SECTION_OF_VIEWS_RE.match(bare)):
        return "agenda"
    if NOTE_TAKER_RE.search(s) and n <= 25 and not caps_lead(s):  # "VISIT NOTES (typed up by Sam)" heads its notes
        return "note_taker"
    if n <= 35 and (CONTACT_RE.search(s) or (CONTACT_DETAIL_RE.search(s) and (not bullet or n <= 8))):
        return "contact"
    if n <= 40 and len(CODE_PAIR_RE.findall(s)) >= (2 if LEGEND_RE.match(s) else 4):
        return "page_furniture"  # a legend: "Key to codes: P = parent, C = child, ..."
    if FURNITURE_RE.search(s) or (counts.get(s, 0) >= 2 and not bullet and n >= 2 and s[-1:] not in "?:"):
        return "page_furniture"  # a running header or footer repeats; a prompt asked at every table is no footer
    if VENUE_RE.search(s) and DATE_RE.search(s) and n <= 25:
        return "date_venue"
    return None


def mark_non_views(lines: list[str]) -> dict[int, str]:
    """{1-based line number: kind} for the lines of one notes file that are not participants' views.

    `lines` are the file's lines in order (blank lines included; they delimit lists). Kinds are in
    `KINDS`. Lines not returned are left to the notes parser (headings, statements, its own page
    furniture and roster rules).
    """
    stripped = [line.strip() for line in lines]
    counts: dict[str, int] = {}
    for s in stripped:
        if s and len(words(s)) <= 12:
            counts[s] = counts.get(s, 0) + 1
    out = _title_block(lines, stripped)
    speakers = _panel_speakers(stripped)
    if any(QA_HEAD_RE.search(x) for x in stripped):
        speakers.setdefault("A", "panel")  # at a "Q&A with the council", "A: ..." is the officers' answer, not a view

    mode: str | None = None  # attendees | agenda | next_steps | actions | byline: the list being read
    items, head = 0, 0
    for i, raw in enumerate(lines):
        s = stripped[i]
        if not s:
            if mode and items and not _list_goes_on(lines, stripped, i, mode):
                mode, items = None, 0
            continue
        if i + 1 in out:
            continue
        kind = None
        meta = META_RE.match(s)
        turn = SPEAKER_RE.match(s)
        if turn and not meta and turn.group("label") in speakers:
            out[i + 1] = speakers[turn.group("label")]  # a panel member's answer, a chair's "next question"
            mode = None
            continue
        if s.startswith("#") and mode in ("attendees", "agenda") and not (ROSTER_HEAD_RE.match(s) or AGENDA_HEAD_RE.match(s)):
            mode, items = None, 0  # a heading ends the list above it
        if _heads(s, raw) and INTERNAL_HEAD_RE.search(s) and not DATE_RE.search(s):
            kind, mode, items = "internal", "body:internal", 0  # its lines, to the next gap, are the team's own
        elif _heads(s, raw) and YOU_SAID_HEAD_RE.match(s):
            kind, mode, items = "reply", "body:reply", 0  # a "You said, we did" box: report-back, not new views
        elif not BULLET.match(raw) and entry_head(s) and REPLY_ENTRY_RE.search(s):
            kind, mode, items = "byline", "body:reply", 0  # "Official reply - Council | 13/06/2025": the words under it
        elif REPLY_LABEL_RE.match(s) or YOU_SAID_RE.match(s) and _reply_follows(stripped, i):
            kind = "reply"
        elif ROSTER_HEAD_RE.match(s):
            kind, mode = "attendees", "attendees"
        elif AGENDA_HEAD_RE.match(s):
            kind, mode = "agenda", "agenda"
        elif ACTIONS_HEAD_RE.match(s):
            kind, mode, head = "next_steps", "actions", i + 1
        elif NEXT_RE.match(s):
            # a head ("Next steps:") opens a list; a closed short line ("Action: None.") does not
            kind, mode = "next_steps", ("next_steps" if len(words(s)) <= 4 and not s.endswith(".") else None)
        elif meta:
            kind, mode = _meta_kind(meta.group("key").lower(), s[meta.end():])
        elif PROCEDURAL_HEAD_RE.match(ITEM_PREFIX_RE.sub("", s)) and mode != "agenda":  # not an agenda's item
            kind = "agenda" if re.search(r"treasurer|financ|account", s, re.I) else "welcome"
            mode = "body:" + kind  # the paragraph under it is the same business
        elif mode and mode.startswith("body:") and not s.startswith("#") and not HEADING_WORDS_RE.match(s) \
                and not ITEM_PREFIX_RE.match(s) and not (mode == "body:welcome" and BULLET.match(raw)):
            kind, items = mode[5:], items + 1
        elif EDITOR_NOTE_RE.match(s) and i and _heads(stripped[i - 1], lines[i - 1]):
            kind = "note_taker"  # "(closed question - see the tables)" typed straight under its question
        elif mode == "attendees" and (_is_listy(s) or len(words(s)) <= 6 and not s.endswith("?")):
            kind, items = "attendees", items + 1
        elif mode == "agenda" and (len(words(s)) <= 10 and s[-1:] not in ".!" or BULLET.match(raw)) \
                and not HEADING_WORDS_RE.match(s):
            kind, items = "agenda", items + 1
        elif mode == "next_steps" and not HEADING_WORDS_RE.match(s) and not s.startswith("#"):
            kind, items = "next_steps", items + 1
        elif mode == "actions" and not HEADING_WORDS_RE.match(s) and not s.startswith("#"):
            items += 1
            if errand(ITEM_PREFIX_RE.sub("", s)):
                kind = "next_steps"
            else:
                out.pop(head, None)  # a proposal: its head stays the heading it is listed under
        elif SIGNOFF_RE.match(s):
            kind, mode = "byline", "byline"
        elif mode == "byline" and stripped[i - 1] and not BULLET.match(raw) and len(words(s)) <= 14:
            kind = "byline"  # the role lines under a sign-off
        else:
            mode = None
            kind = _phrase_kind(s, raw, counts)
            if kind == "welcome" and i and out.get(i) == "byline" and entry_head(stripped[i - 1]):
                kind = None  # "Thank you for the drop-in ..." under "#1086 Joe | 18/06/2025": that person's comment
        if kind:
            out[i + 1] = kind
    # a marked line's wrapped continuation (no bullet, lower-case start) is the same non-view
    for n in sorted(out):
        if out[n] == "page_furniture" or "\t" in lines[n - 1]:
            continue  # a running footer or a table header row does not wrap onto the next line
        k = n
        end = next((j for j in range(n, len(lines)) if not stripped[j]), len(lines))
        if hard_breaks(stripped[n - 1: end]):
            continue  # notes typed one a line ("thanks for the pizza" over "ban vapes near school"): no wraps
        while k < len(lines) and stripped[k] and k + 1 not in out and not BULLET.match(lines[k]) and \
                stripped[k][:1].islower() and stripped[k - 1][-1:] not in ".!?":
            out[k + 1] = out[n]
            k += 1
    return out


def non_view_lines(blocks) -> dict[tuple[int, int], str]:
    """`mark_non_views` over the notes parser's blocks: {(block index, line index in block): kind}.

    Blocks from any reader (text, Markdown, PDF lines, Word paragraphs) are laid out again as lines,
    headings as "#" lines and bullets with their marker, a blank line where the source had a gap, so
    every reader's notes are judged alike. Duck-typed on `notes.Block` (kind, lines, level, marker,
    indent, cells).
    """
    lines: list[str] = []
    owner: list[tuple[int, int] | None] = []
    last: int | None = None
    for i, block in enumerate(blocks):
        if not block.lines:
            continue
        if last is not None and block.lines[0][0] > last + 1:
            lines.append("")
            owner.append(None)
        for j, (number, piece) in enumerate(block.lines):
            if j and number > block.lines[j - 1][0] + 1:  # a block rejoined across a gap (PDF page break)
                lines.append("")
                owner.append(None)
            piece = piece.strip()
            if block.kind == "heading":
                piece = "#" * max(1, block.level) + " " + piece
            elif block.kind == "bullet":
                piece = " " * block.indent + ((block.marker or "-") + " " if j == 0 else "  ") + piece
            elif block.kind == "row" and block.cells:
                piece = "\t".join(" ".join(cell) for cell in block.cells)
            lines.append(piece)
            owner.append((i, j))
        last = block.lines[-1][0]
    return {owner[n - 1]: kind for n, kind in mark_non_views(lines).items() if owner[n - 1] is not None}


def _reply_follows(stripped: list[str], i: int) -> bool:
    """A "You said: ..." line with the organisers' reply right under it ("We did: ...") is part of a report-back."""
    nxt = next((t for t in stripped[i + 1:i + 3] if t), "")
    return bool(REPLY_LABEL_RE.match(nxt))


def _list_goes_on(lines: list[str], stripped: list[str], i: int, mode: str) -> bool:
    """After a blank line: does an attendee list go on in the same style (two columns pasted from a PDF)?"""
    if mode != "attendees":
        return False
    nxt = next((j for j in range(i + 1, len(lines)) if stripped[j]), None)
    prev = next((j for j in range(i - 1, -1, -1) if stripped[j]), None)
    if nxt is None or prev is None:
        return False
    same_style = bool(BULLET.match(lines[nxt])) == bool(BULLET.match(lines[prev]))
    return same_style and _is_listy(stripped[nxt]) and not HEADING_WORDS_RE.match(stripped[nxt])
