"""People moves: a person appointed to, taking up, or leaving a post, read from the sentence's verb.

The person is a PERSON mention (the 을-object of 선임/영입/내정/임명, the subject of 취임/사임/퇴임), the new
title the words before (으)로 / 에 and the verb, the organisation the one named with the title, else the
sentence's subject, else the organisation the person was named with.
"""

from __future__ import annotations

import re

from transforms.events.common import event_date, is_unsure, party, subject_mention
from transforms.events.model import Appointment, Party
from transforms.events.sentences import Sentence
from transforms.records import Mention

# The verb must be one (선임했다, 내정됐다, 취임한다...): 선임연구원 or 취임식 are nouns, 취임 100일 a time.
_VERB_END = (
    r"(?=했|됐|한다|된다|하였|되었|돼|해\s|하기로|되기로|키로|할\s|될\s|시켰|한\s|된\s|하며|되며|하고|되고|했다)"
)
APPOINTMENT_VERB = re.compile(
    r"(선임|취임|영입|내정|사임|퇴임|임명|발탁|승진|합류)" + _VERB_END + r"|(물러났|물러난다|물러나기로)"
)
# Verbs outside the six kinds, by the kind they report: named to a post is 선임, joining from outside 영입.
_KIND = {
    "임명": "선임",
    "발탁": "선임",
    "승진": "선임",
    "합류": "영입",
    "물러났": "사임",
    "물러난다": "사임",
    "물러나기로": "사임",
}
# Posts a title ends with (the gazetteer's titles cover the usual ones; these are the rest of a board and a lab).
_EXTRA_TITLE_ENDS = (
    "책임자",
    "센터장",
    "소장",
    "총장",
    "단장",
    "부문장",
    "그룹장",
    "리더",
    "파트너",
    "고문",
    "의장",
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "CSO",
    "CMO",
    "CPO",
    "CHO",
)
# The post is the words before (으)로 / 에 (/ 직에서 for leaving) right before the verb.
_POST_BEFORE_VERB = re.compile(
    r"(\S+(?:\s\S+){0,3}?)\s?(?:직으로|직에|으로|로|에|직에서|직을|자리에서)\s?(?:새로\s|신규\s|공식\s|각각\s|정식\s)?$"
)
_NOT_POST_WORDS = frozenset({"신임", "새", "초대", "차기", "새로운", "전", "현", "신규"})
_PARTICLE_END = re.compile(r"(?:을|를|은|는|의|와|과|에서|이|가|고|며|해|하고)$")
_LEAVING = frozenset({"사임", "퇴임"})
_OBJECT = re.compile(r"^(?:\([^)]{0,20}\))?\s?(?:\S{0,12}\s)?(?:을|를)\s")
_SUBJECT = re.compile(r"^(?:\([^)]{0,20}\))?\s?(?:\S{0,12}\s)?(?:이|가|은|는)\s|^(?:\([^)]{0,20}\))?(?:이|가|은|는)\s")


def _is_title(words: str, titles: frozenset[str]) -> bool:
    last = re.sub(r"\([^)]*\)$", "", words).split(" ")[-1]
    return any(last.endswith(title) for title in titles if len(title) >= 1) or last.endswith(_EXTRA_TITLE_ENDS)


def _person(sentence: Sentence, verb_start: int, kind: str) -> Mention | None:
    """The person moved: the object of an appointing verb, the subject of a taking-up or leaving one."""
    people = [
        m for m in sentence.of_type("PERSON") if not m.attrs.get("unresolved") and sentence.local(m)[0] < verb_start
    ]
    if not people:
        return None
    role = _SUBJECT if kind in ("취임", "사임", "퇴임") else _OBJECT
    for person in reversed(people):
        if role.match(sentence.after(person, 24)):
            return person
    return people[-1]


def _title_and_org(
    sentence: Sentence, person: Mention, verb_start: int, titles: frozenset[str]
) -> tuple[str | None, Party | None]:
    """The post written right before the verb, and the organisation named with it: a mention right before
    the post, or the non-title words that lead the post phrase (당근마켓 최고기술책임자)."""
    window_start = sentence.local(person)[1]
    org: Mention | None = None
    for mention in sentence.named():
        start, end = sentence.local(mention)
        if window_start <= start and end <= verb_start and mention.type != "PERSON":
            window_start = end
            # "전 구글코리아 상무": the organisation the person comes from, not the new one.
            org = None if sentence.text[max(0, start - 2) : start] == "전 " else mention
    match = _POST_BEFORE_VERB.search(sentence.text[window_start:verb_start])
    if not match:
        return None, party(org) if org else None
    words = _post_words(match.group(1), titles).split()
    lead: list[str] = []
    while len(words) > 1 and not _is_title(words[0], titles):
        lead.append(words.pop(0))
    title = " ".join(words)
    if not title or not _is_title(title, titles):
        return None, party(org) if org else None
    if org is None and lead:
        return title, Party(" ".join(lead))
    return title, party(org) if org else None


def _post_words(phrase: str, titles: frozenset[str]) -> str:
    """The last words of `phrase` that name a post: stop at a word with a particle (부사장을) or 신임."""
    kept: list[str] = []
    for word in reversed(phrase.split()):
        if word in _NOT_POST_WORDS or (_PARTICLE_END.search(word) and not _is_title(word, titles)):
            break
        kept.insert(0, word)
    return " ".join(kept)


def find_appointment(sentence: Sentence, published_at: str | None, titles: frozenset[str]) -> Appointment | None:
    """The people move a sentence reports, or None (no such verb, no person, or unsure wording)."""
    verb = APPOINTMENT_VERB.search(sentence.text)
    if verb is None or is_unsure(sentence.text[verb.start() :]):
        return None
    word = verb.group(1) or verb.group(2)
    kind = _KIND.get(word, word)
    person = _person(sentence, verb.start(), kind)
    if person is None:
        return None
    title, org = _title_and_org(sentence, person, verb.start(), titles)
    if kind in _LEAVING or (kind == "취임" and title is None):
        title = title or person.attrs.get("title")
    if org is None:
        subject = subject_mention(sentence, verb.start(), exclude=(person,))
        org = party(subject) if subject is not None and subject.type != "PERSON" else None
    if org is None and person.attrs.get("org"):
        org = Party(person.attrs["org"])
    return Appointment(
        kind=kind,
        person=party(person),
        title=title,
        org=org,
        date=event_date(sentence, published_at),
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
    )
