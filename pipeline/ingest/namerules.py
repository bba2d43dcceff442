"""Personal-name rules shared by both redaction engines (`redact` and `pii`/`names`): titles, roles,
organisation words that make a capitalised run an organisation, a short list of common first names, and
English words (spaCy's lookup tables) that are never names on their own."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

TITLES = (r"Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Rev|Revd|Reverend|Sir|Dame|Lord|Lady|Baroness|"
          r"Bishop|Canon|Imam|Rabbi|Pastor|Father|Sister|Sheikh")
NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
TITLE_RE = re.compile(rf"\b(?P<title>(?:{TITLES})\.?) +(?P<name>{NAME_WORD}(?: +{NAME_WORD}){{0,2}})")
ROLES = (r"Director|Manager|Chair|Chairman|Chairwoman|Chairperson|Chief Executive|CEO|Officer|Co-?ordinator|Lead|Head|"
         r"Mayor|Member|Councillor|Secretary|Treasurer|Trustee|Founder|Adviser|Advisor|Worker|Consultant|Researcher|"
         r"Volunteer|President|Minister|MP|Commissioner|Facilitator|Convenor|Organiser|Organizer|Leader|Partner|"
         r"Practitioner|Analyst|Assistant|Administrator|Development|Champion")
# "Karen Conway, Partnerships Manager" / "Frank Hont - Cabinet Member" / "Tracey Gore (Chair)"
ROLE_RE = re.compile(rf"(?<![\w&])(?P<name>{NAME_WORD}(?: +{NAME_WORD}){{1,2}}) *(?:,| [-–—] |\()\s*"
                     rf"(?:the\s+|[A-Z][\w&'’-]*\s+){{0,4}}(?:{ROLES})\b")
# words that make a capitalised run an organisation, place or heading, not a person
ORG_WORDS = {
    "Housing", "Council", "Trust", "Group", "Network", "Partnership", "Association", "Centre", "Center", "Foundation",
    "Surgery", "Practice", "Pharmacy", "Clinic", "Hospice", "Hub", "Link", "Transport", "Pantry", "Foodbank", "Sheds",
    "Services", "Service", "Community", "Communities", "Authority", "Region", "Regional", "Board", "Limited", "Ltd",
    "CVS", "University", "College", "School", "NHS", "Police", "Forum", "Alliance", "Project", "Society", "Action",
    "Agency", "Department", "Office", "Commission", "Committee", "Assembly", "Panel", "Programme", "Company",
    "Charity", "Church", "Mosque", "Temple", "Club", "City", "County", "Borough", "Street", "Road", "Lane", "House",
    "Hall", "Park", "Court", "Place", "Square", "Way", "Avenue", "Bank", "Fund", "Initiative", "Institute",
    "Consortium", "Federation", "Union", "Team", "Unit", "Sector", "Voluntary", "Liverpool", "Manchester",
    "Birmingham", "London", "Midlands", "England", "Merseyside", "Wirral", "Sefton", "Knowsley", "Halton", "Helens",
    "Combined", "Metro", "Cabinet", "Recovery", "Equality", "Equalities", "Race", "Health", "Care", "Youth",
    "Women", "Black", "Asian", "Minority", "Ethnic", "African", "Caribbean", "Muslim", "Jewish", "Sikh", "Hindu",
    "Faith", "Interfaith", "Refugee", "Migrant", "Support", "Training", "Development", "Employment", "Enterprise",
    "Enterprises", "Social", "Economic", "Strategy", "Policy", "Plan", "Report", "Review", "Workshop", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November", "December", "The", "This", "That", "Our",
    "St", "Saint", "Homes", "Schools", "Minds", "Together", "Surestart",
    "Their", "We", "All", "Key", "New", "Build", "Back", "Better", "Day", "Week", "Month", "Year", "Mayor",
}
# common first names, for "Firstname Surname" with no title or role beside it (kept short on purpose:
# names that are also ordinary words, such as Faith, Hope or Will, are left out)
FIRST_NAMES = set("""
Aaron Abdul Adam Adrian Ahmed Aisha Alan Alex Alexander Ali Alice Alison Amanda Amir Amy Andrew Angela Anita Ann Anna
Anne Anthony Asif Barbara Ben Benjamin Bernard Beverley Brian Carl Carol Caroline Catherine Charles Charlotte Chris
Christine Christopher Claire Clare Colin Craig Daniel David Dawn Deborah Denise Derek Diane Donna Dorothy Edward Elaine
Elizabeth Emily Emma Fatima Fiona Frank Frederick Gareth Gary Gavin George Gillian Graham Hannah Harry Hassan Heather
Helen Ian Imran Jack Jacqueline Jake James Jane Janet Jason Jean Jennifer Jessica Joan John Jonathan Joseph Joyce Julie
Karen Kate Katherine Kathleen Keith Kelly Kevin Kim Laura Lee Leon Linda Lisa Louise Lucy Lynn Margaret Maria Marie
Martin Mary Matthew Michael Michelle Mohammed Mohammad Muhammad Nadia Natalie Neil Nicholas Nicola Nigel Omar Patricia
Paul Pauline Peter Philip Priya Rachel Rajesh Raj Rebecca Richard Robert Sadiq Samuel Sandra Sarah Sharon Shirley Simon
Sophie Stephen Steve Steven Stuart Susan Tariq Thomas Tim Timothy Tony Tracey Tracy Valerie Victoria Wayne William Yasmin
Yvonne Zainab Zoe
""".split())
FIRST_LAST_RE = re.compile(rf"\b(?P<name>(?P<first>[A-Z][a-z]+) +{NAME_WORD}(?: +{NAME_WORD})?)")
# "Contact Jane at ...", "speak to Ahmed Khan on ...": a name is whoever you are told to contact
CONTACT_NAME_RE = re.compile(
    rf"\b(?:[Cc]ontact|[Cc]all|[Rr]ing|[Pp]hone|[Ee]-?mail|[Tt]ext|[Mm]essage|[Aa]sk for|[Ss]peak (?:to|with)|"
    rf"[Tt]alk (?:to|with)|[Ww]rite to) +(?P<name>{NAME_WORD}(?: +{NAME_WORD})?)(?= +(?:at|on|via|by|who|if)\b|[,.;)]|$)")
# "Karen said ...": a known first name as the speaker
SPEAKER_RE = re.compile(r"\b(?P<name>[A-Z][a-z]+) +(?:said|says|told|asked|explained|mentioned|suggested|added)\b")


TITLE_WORDS = set(TITLES.split("|"))
ROLE_WORDS = set(re.sub(r"[()?-]", "", ROLES).replace("|", " ").split()) | {"Chief", "Executive", "Senior", "Deputy"}


def _is_name(words: Sequence[str]) -> bool:
    """A run of capitalised words that can be a person's name (no organisation or heading words in it)."""
    bare = [w.strip(".,") for w in words]
    return bool(words) and not any(w in ORG_WORDS or w in ROLE_WORDS or w.isupper() and len(w) > 1 for w in bare)


def _without_title(words: list[str]) -> list[str]:
    """"Cllr Frank Hont" -> ["Frank", "Hont"]: the title stays in the text, only the name is hidden."""
    while words and words[0].rstrip(".") in TITLE_WORDS:
        words = words[1:]
    return words



def rule_names(text: str) -> set[str]:
    """Names found by the rules: after a title, before a role, a common first name and a surname, a name
    you are told to contact, a first name as a speaker."""
    out = set()
    for m in TITLE_RE.finditer(text):
        words = m.group("name").split()
        while words and words[-1].strip(".,") in ORG_WORDS:
            words.pop()  # "Lord Mayor", "Dr Barnardo's Homes" is left to the org check below
        if words and _is_name(words) and not (len(words) == 1 and words[0].endswith(".")):
            out.add(" ".join(words))
    for m in ROLE_RE.finditer(text):
        words = _without_title(m.group("name").split())
        if len(words) >= 2 and _is_name(words):
            out.add(" ".join(words))
    for m in FIRST_LAST_RE.finditer(text):
        words = m.group("name").split()
        if m.group("first") in FIRST_NAMES and _is_name(words) and not _org_follows(text, m.end()):
            out.add(m.group("name"))
    for m in CONTACT_NAME_RE.finditer(text):
        words = _without_title(m.group("name").split())
        if words and _is_name(words) and not _org_follows(text, m.end()):
            out.add(" ".join(words))
    for m in SPEAKER_RE.finditer(text):
        if m.group("name") in FIRST_NAMES:
            out.add(m.group("name"))
    return out


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    try:
        from spacy.lookups import load_lookups

        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        return frozenset(list(table.keys()) + list(table.values())) if hasattr(table, "keys") else frozenset()
    except Exception:  # lookups data missing: fall back to the run's own words
        return frozenset()


def _org_follows(text: str, end: int) -> bool:
    """Whether the capitalised word right after position `end` makes the run an organisation ("... Housing")."""
    m = re.match(r"\s+([A-Z][\w'’-]*)", text[end:])
    return bool(m and m.group(1) in ORG_WORDS)
