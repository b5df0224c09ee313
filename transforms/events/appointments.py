"""People moves: a person appointed to, taking up, or leaving a post, read from the sentence's verb.

The person is a PERSON mention (the 을-object of 선임/영입/내정/임명, the subject of 취임/사임/퇴임); the post
is the words before (으)로 / 에 right before the verb (or before the person: "신임 CFO에 A를 선임"); the
organisation is the one named with the post, else the sentence's subject, else the one the person was
named with.
"""

from __future__ import annotations

import re

from transforms.entities.features import SURNAMES
from transforms.events.common import (
    NOT_PARTIES,
    event_date,
    is_known_place,
    is_unsure,
    party,
    subject_mention,
    subject_word,
)
from transforms.events.model import Appointment, Party
from transforms.events.sentences import DESCRIPTORS, WORDING, Sentence, is_korean_name
from transforms.records import Mention

# The verb must be one (선임했다, 내정됐다, 취임한다...): 선임연구원 or 취임식 are nouns, 취임 100일 a time.
# "선임하는 안건을 의결했다": a board's decision is the act. "선임된 뒤 / 취임한 후" dates what follows by an
# earlier move: background, not the news.
_VERB_END = (
    r"(?=했|됐|한다|된다|하였|되었|돼|해\s|하기로|되기로|키로|할\s|될\s|시켰|[한된]\s(?!뒤|후|이후|다음|지\s)"
    r"|하며|되며|하고|되고|하면서|되면서|(?:하|시키)는\s(?:안건|(?:정기\s|임원\s)*인사))"
)
# Group 1: the verbs of the six kinds and those reported as one of them; group 2: leaving (물러나, 사의 표명,
# 사임서 제출); group 3: rising to a post ("이사회 의장에 올랐다"), a move only when the words before name a post;
# group 4: seating someone in a post ("CEO에 A를 앉혔다"), 선임 with the person as object; group 5: taking someone
# in as a post ("A를 수석과학자로 맞았다", "새 센터장으로 A를 맞았다"), 영입 when a post is named (1주년을 맞았다
# is none).
APPOINTMENT_VERB = re.compile(
    r"재?(선임|취임|영입|내정|사임|퇴임|임명|발탁|발령|승진|합류|선출|보임|위촉|사퇴|용퇴|은퇴|낙점)"
    + _VERB_END
    + r"|(물러났|물러난다|물러나기로|물러나(?:며|고)?\s|사의를\s?(?:표명|밝혔)"
    + r"|(?:사임서|사직서|사표)를\s?(?:제출|냈|던졌))"
    + r"|(?<=에\s|로\s)(올랐|오른다|올라\s)"
    + r"|(앉혔|앉힌다|앉히기로)"
    + r"|(맞았|맞이했|맞아들였)"
)
# Verbs outside the six kinds, by the kind they report: named to a post is 선임, joining from outside 영입.
_KIND = {
    "임명": "선임",
    "발탁": "선임",
    "발령": "선임",
    "승진": "선임",
    "선출": "선임",
    "보임": "선임",
    "위촉": "선임",
    "합류": "영입",
    "사퇴": "사임",
    "용퇴": "퇴임",
    "은퇴": "퇴임",
    "낙점": "내정",
}
_LEAVING_KINDS = frozenset({"사임", "퇴임"})
_SUBJECT_KINDS = frozenset({"취임", "사임", "퇴임"})
# Verbs whose subject is the person moved (the others name them as object: A를 선임했다), and the passive
# endings that make any of them so (A가 선임됐다).
_SUBJECT_VERBS = frozenset({"취임", "사임", "퇴임", "합류", "승진", "사퇴", "용퇴", "은퇴"})
_PASSIVE = re.compile(r"(?:됐|된|되|돼)")
# Posts beyond the gazetteer's titles: the C-suite, a board, a lab.
_EXTRA_TITLE_ENDS = (
    "책임자",
    "경영자",
    "행장",
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
    "과학자",
)
_C_SUITE = re.compile(r"^C[A-Z]O$")
# The last word before the verb carries the post's case marker: 대표로, 의장으로, 실장에, 대표직에서.
_MARKED_POST = re.compile(r"^(.+?)(?:직으로|직에서|직에|직을|으로는|로는|에는|으로|로|에서|에)$")
# "대표 자리에 올랐다", "CEO 자리로": the word before 자리 is the post.
_POST_SEAT = re.compile(r"\s자리(?=에|로|으로|를|에서)")
# Words between the post and the verb, and words that open a post phrase without being part of it.
_ADVERBS = frozenset({"새로", "신규", "공식", "각각", "정식", "다시", "새롭게", "공식적으로", "승진", "전보"})
_NOT_POST_WORDS = frozenset(
    {"신임", "새", "초대", "차기", "새로운", "전", "현", "신규", "다시", "말", "초", "중순", "연말"}
)
# Words that qualify a post rather than name an organisation: 단독 대표, 사외 이사.
_TITLE_MODIFIERS = frozenset(
    {"단독", "공동", "각자", "상임", "비상임", "사외", "수석", "총괄", "글로벌", "대표", "이사회"}
)
# Endings of a verb's modifier form (총괄할, 맡은, 새로운); 이끌 ends in a final ㄹ (index 8 of 28 finals).
_MODIFIER_ENDINGS = frozenset("할을는은던한된인")
_FINAL_RIEUL = 8


def _is_modifier(word: str) -> bool:
    last = word[-1]
    return last in _MODIFIER_ENDINGS or ("가" <= last <= "힣" and (ord(last) - ord("가")) % 28 == _FINAL_RIEUL)


# A verb joined to the next clause ("선임됐고, B는 …", "승진했으며"): it reports a move of its own.
_COORDINATE = re.compile(r"(?:(?:됐|했|되었|하였|시켰)(?:고|으며|며)|(?:하|되)(?:고|며|면서))[,\s]")
# A person joined to the next by 와 / 과 / a comma, a post between: " 상무와 ", ", ".
_JOINED_PERSON = re.compile(r"(?:\s\S+?)?(?:와|과|,|·|\s및)\s?")
# A listed person's case and post up to the comma before the next one: " 상무를 전무로, ".
_LISTED_POST = re.compile(r"^[^,]*?(?:을|를|이|가|은|는)\s([^,]+?)\s?,\s*$")
_NEW_MARKERS = frozenset({"신임", "차기", "초대"})
_PARTICLE_END = re.compile(r"(?:을|를|은|는|의|와|과|에서|이|가|고|며|해|하고|씨)$")
# The person's case: right after the name, or after the title (and organisation) written with it.
# (A mention cut inside its word, 김도윤 클라우드|사업본부장을, goes on without a space.)
# The words between the person and the particle do not end in 의: in `A 창업자의 뒤를 이어` the 를 is 뒤's.
_OBJECT = re.compile(r"^(?:\([^)]{0,20}\))?(?:(?![은는이가의와과도])\S+?)?(?:\s\S{0,13}?[^\s의]){0,4}(?:을|를)\s")
_SUBJECT = re.compile(r"^(?:\([^)]{0,20}\))?(?:(?![을를의와과도])\S+?)?(?:\s\S{0,13}?[^\s의]){0,4}(?:이|가|은|는)\s")
# "조병규 부행장을": a name the model missed, known by a surname and the title after it.
_NAME_WITH_TITLE = re.compile(r"(?<![가-힣])(?P<name>[가-힣]{2,3})\s(?P<title>\S+?)(?:을|를|이|가|은|는)\s")
# "이한결 리턴제로 대표가": the same, with the organisation written between.
_NAME_ORG_TITLE = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{3})\s(?P<org>[가-힣A-Za-z0-9]{2,12})\s(?P<title>\S+?)(?:을|를|이|가|은|는)\s"
)
# "이재현 신임 사장이 취임했다": a post said as new right after the name.
_NEW_POST_AFTER = re.compile(r"^\s(?:신임|새)\s(\S+?)(?:이|가|은|는|을|를)\s")


def _is_title(words: str, titles: frozenset[str]) -> bool:
    last = re.sub(r"\([^)]*\)$", "", words).split(" ")[-1]
    return bool(last) and (
        any(last.endswith(title) for title in titles) or last.endswith(_EXTRA_TITLE_ENDS) or bool(_C_SUITE.match(last))
    )


def _titled_names(sentence: Sentence, verb_start: int, titles: frozenset[str]) -> list[Mention]:
    """Names the tagger missed, read from the wording: a surname-led word before a post (`안수혁 부사장을`), or a
    three-syllable one before a word and a post (`이한결 리턴제로 대표가`: that word is the organisation)."""
    found = []
    before = sentence.text[:verb_start]
    for match in [*_NAME_WITH_TITLE.finditer(before), *_NAME_ORG_TITLE.finditer(before)]:
        name, title, org = match["name"], match["title"], match.groupdict().get("org")
        # "신임 대표를", "차기 대표를": a word that qualifies the post, though it starts like a surname
        if name in _NOT_POST_WORDS or name in _ADVERBS or name in NOT_PARTIES or _is_title(name, titles):
            continue
        if org is not None and (org in _NOT_POST_WORDS or org in _TITLE_MODIFIERS or _is_title(org, titles)):
            continue
        if name[0] in SURNAMES and _is_title(title, titles):
            start = sentence.start + match.start("name")
            attrs = {"title": title, WORDING: "1"} | ({"org": org} if org else {})
            found.append(Mention(start, start + len(name), name, "PERSON", name, attrs=attrs))
    return found


def _former_org(sentence: Sentence, mention: Mention) -> bool:
    """Whether a "person" after 전 is no Korean name, so where the person comes from (정민호 전 쿠팡이츠 부사장)."""
    start = sentence.local(mention)[0]
    return sentence.text[max(0, start - 2) : start] == "전 " and not is_korean_name(mention.surface)


def _person(sentence: Sentence, verb: re.Match[str], titles: frozenset[str]) -> Mention | None:
    """The person moved: the object of an appointing verb, the subject of a taking-up or leaving one or of a
    passive (선임됐다); a person in another role (the one who appoints) is not the one moved."""
    verb_start = verb.start()
    people = [
        m
        for m in sentence.of_type("PERSON")
        if not m.attrs.get("unresolved") and sentence.local(m)[0] < verb_start and not _former_org(sentence, m)
    ]
    if not people:
        people = _titled_names(sentence, verb_start, titles)
    if not people and sentence.text.startswith("된 ", verb.end()):
        # "신임 사장에 내정된 최병호 씨는": the person follows the verb's modifier form.
        after = [m for m in sentence.of_type("PERSON") if 0 <= sentence.local(m)[0] - verb.end() <= 4]
        return after[0] if after else None
    if not people:
        return None
    role = _person_role(sentence, verb)
    for person in reversed(people):
        if role.match(sentence.after(person, 40)):
            return person
    # none of the tagged people is the one moved: a name the tagger missed, written with its title
    for person in reversed(_titled_names(sentence, verb_start, titles)):
        if role.match(sentence.after(person, 40)) and not any(p.start == person.start for p in people):
            return person
    return None


def _person_role(sentence: Sentence, verb: re.Match[str]) -> re.Pattern[str]:
    """How the moved person is marked: as subject (취임했다, 선임됐다, 물러났다) or as object (A를 선임했다)."""
    if verb.group(4) or verb.group(5):
        return _OBJECT  # 앉혔다, 맞았다: the person seated or taken in is the object
    word = verb.group(1) or "물러나"  # leaving and rising both have the person as subject
    passive = _PASSIVE.match(sentence.text, verb.end())
    causative = sentence.text.startswith("시", verb.end())  # 승진시켰다: the person is the object again
    return _SUBJECT if (word in _SUBJECT_VERBS or word == "물러나" or passive) and not causative else _OBJECT


def post_phrase(segment: str, titles: frozenset[str]) -> tuple[str | None, list[str]]:
    """(post, the words before it in its phrase) from the text ending right before the verb or person."""
    words = _POST_SEAT.sub("", segment).split()
    while words and words[-1] in _ADVERBS:
        words.pop()
    marked = _MARKED_POST.match(words[-1]) if words else None
    if marked is None:
        return None, []
    words[-1] = marked.group(1)
    kept: list[str] = []
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        if word in _NOT_POST_WORDS or (_PARTICLE_END.search(word) and not _is_title(word, titles)):
            # "한국벤처투자 신임 대표에": the word before 신임 names whose post it is.
            if word in _NEW_MARKERS and position and not _PARTICLE_END.search(words[position - 1]):
                kept.insert(0, words[position - 1])
            break
        kept.insert(0, word)
    lead: list[str] = []
    while len(kept) > 1 and not _is_title(kept[0], titles) and kept[0] not in _TITLE_MODIFIERS:
        lead.append(kept.pop(0))
    if lead and _is_modifier(lead[-1]):
        lead = []  # "AI 조직을 이끌 최고AI책임자": a verb qualifying the post, not an organisation
    if "겸" in kept[:-1]:
        kept = kept[len(kept) - kept[::-1].index("겸") :]  # "연구개발본부장 겸 사장": the post after 겸
    title = " ".join(kept)
    return (title, lead) if title and _is_title(title, titles) else (None, [])


def _title_and_org(
    sentence: Sentence, person: Mention, verb_start: int, titles: frozenset[str], previous: Party | None = None
) -> tuple[str | None, Party | None]:
    """The post written right before the verb, and the organisation named with it: a mention right before
    the post, or the non-title words that lead the post phrase (당근마켓 최고기술책임자)."""
    person_start, window_start = sentence.local(person)
    if person_start > verb_start:
        person_start, window_start = verb_start, 0  # the person after the verb: the post is all before it
    # "카카오는 정신아 카카오벤처스 대표를 차기 대표이사로 내정했다": a post written after the person's case
    # particle is the new one, and the organisation written with the name is where the person is now.
    after = sentence.after(person, 40)
    case = _OBJECT.match(after) or _SUBJECT.match(after)
    if case is not None and window_start + case.end() < verb_start:
        title, org = _post_between(sentence, window_start + case.end(), verb_start, titles)
        if title is not None:
            return title, org or _subject_org(sentence, person, titles, previous)
    window_start, org = _last_name_within(sentence, window_start, verb_start)
    if org is not None and sentence.text[max(0, sentence.local(org)[0] - 2) : sentence.local(org)[0]] == "전 ":
        org = None  # "전 구글코리아 상무": the organisation the person comes from, not the new one.
    title, lead = post_phrase(sentence.text[window_start:verb_start], titles)
    if title is None:
        # "신임 최고운영책임자(COO)에 윤서연 전무를 선임했다": the post before the person; a name written with
        # the person then is where the person is now (새 CEO로 홍범식 LG 부문장을: not LG)
        post_start, post_org = _last_name_within(sentence, 0, person_start)
        title, lead = post_phrase(sentence.text[post_start:person_start], titles)
        # the name is the post's only when the post follows it (`삼성SDS는 대구센터 사업을 총괄할 …사업부장에`:
        # 대구센터 is what the post covers)
        if title is not None and not sentence.text[post_start:person_start].lstrip(") ").startswith(title):
            title = None
        if title is not None:
            # `한국전자통신연구원(ETRI) 원장에 A가`: the name before the post is its organisation, unless the post
            # phrase names one itself (`크립토 거래소 코인원 대표에`)
            lead_org = _lead_org(lead)
            if lead_org is not None:
                return title, lead_org
            org = post_org
        else:
            title, lead = post_phrase(sentence.text[:person_start], titles)
            org = None if title is not None else org
    if title is None:
        new_post = _NEW_POST_AFTER.match(sentence.text[window_start : window_start + 20])
        title = new_post.group(1) if new_post and _is_title(new_post.group(1), titles) else None
    if org is not None:
        return title, party(org)
    return title, _lead_org(lead) or _subject_org(sentence, person, titles, previous)


def _last_name_within(sentence: Sentence, start: int, end: int) -> tuple[int, Mention | None]:
    """The last of the non-person names that follow one another from `start` to `end` (local offsets), and
    where it ends (`start` and None when there is none): what stands before the post phrase."""
    last_name: Mention | None = None
    for mention in sentence.named():
        first, last = sentence.local(mention)
        if start <= first and last <= end and mention.type != "PERSON":
            # `서울 강남구 본사에서 취임식을`: a place is where, not whose
            start, last_name = last, (None if is_known_place(mention) else mention)
            if sentence.text.startswith(")", start) and start < end:
                start += 1  # `한국전자통신연구원(ETRI) 원장`: the abbreviation's bracket closes the name
    return start, last_name


def _post_between(sentence: Sentence, start: int, end: int, titles: frozenset[str]) -> tuple[str | None, Party | None]:
    """The post phrase between `start` and `end` (local offsets) and the organisation named in it, if any."""
    start, org = _last_name_within(sentence, start, end)
    title, lead = post_phrase(sentence.text[start:end], titles)
    if title is None:
        return None, None
    return title, party(org) if org is not None else _lead_org(lead)


# Words before a post that say what the post covers, not whose it is: 전략 담당 부사장, 국내 사업 총괄,
# AI 연구소장.
_POST_SCOPE_WORDS = frozenset(
    {
        "담당",
        "총괄",
        "부문",
        "출신",
        "겸",
        "당시",
        "AI",
        "IT",
        "ICT",
        "디지털",
        "글로벌",
        "해외",
        "국내",
        "전략",
        "사업",
    }
    | {"신사업", "기술", "영업", "마케팅", "재무", "인사", "홍보", "연구", "개발", "데이터", "클라우드", "보안"}
)


# Words after a field that make it the post's scope (물류 부문, 재무 담당, 사업 총괄).
_SCOPE_MARKERS = frozenset({"부문", "담당", "총괄"})


def _lead_org(lead: list[str]) -> Party | None:
    """The organisation in the words that lead a post phrase: the name after what kind of company it is
    ("크립토 거래소 코인원 대표" -> 코인원), none when the words are an adverb, a scope or a phrase with its
    particle (각각 전무, 전략 담당 부사장, 이유로 대표이사)."""
    kinds = (*DESCRIPTORS, "거래소")
    last_kind = max((index for index, word in enumerate(lead) if word.endswith(kinds)), default=-1)
    words = lead[last_kind + 1 :]
    while words and words[-1] in _POST_SCOPE_WORDS:
        if words.pop() in _SCOPE_MARKERS:
            return None  # "물류 부문 부사장", "전략 담당": the word before names the scope, not the company
        # "네이버 AI 연구소장": the field goes, the name before it stays
    if not words or any(
        word in _ADVERBS or word in _POST_SCOPE_WORDS or _PARTICLE_END.search(word) or word.endswith(("로", "에"))
        for word in words
    ):
        return None
    return Party(_ABBREVIATION_AFTER.sub("", " ".join(words)))


# `한국과학기술원(KAIST)`: the name without its abbreviation.
_ABBREVIATION_AFTER = re.compile(r"\([^()]*\)$")


def _subject_org(
    sentence: Sentence, person: Mention, titles: frozenset[str], previous: Party | None = None
) -> Party | None:
    """The organisation that is the sentence's subject, before the person (카카오는 A를 ... 선임했다); `이 회사는`
    stands for `previous`, the company the article is about."""
    person_start = sentence.local(person)[0]
    subject = subject_mention(sentence, person_start, exclude=(person,))
    if subject is not None and (subject.type != "PERSON" or not is_korean_name(subject.surface)):
        return party(subject)  # a "person" that is no Korean name (네이버클라우드는) is the model's slip on a company
    # "김태윤 대표가 사임한 뒤 이사회는 …": a title (대표) or a board is not the organisation.
    word = subject_word(
        sentence, person_start, previous, reject=lambda word: _is_title(word, titles) or word == "이사회"
    )
    return word or _only_org_before(sentence, person_start)


def _only_org_before(sentence: Sentence, person_start: int) -> Party | None:
    """The one organisation named before the person when none is the subject ("LG유플러스 정기 인사에서 A 상무가",
    "루미너스의 공동대표인 A 대표가"); not one the person comes from (전 구글 상무, 메타 출신)."""
    found = [
        m
        for m in sentence.named()
        if m.type == "ORG"
        and sentence.local(m)[1] <= person_start
        and sentence.text[max(0, sentence.local(m)[0] - 2) : sentence.local(m)[0]] != "전 "
        and not sentence.after(m, 4).lstrip().startswith("출신")
    ]
    return party(found[0]) if len(found) == 1 else None


def find_appointments(
    sentence: Sentence, published_at: str | None, titles: frozenset[str], previous: Party | None = None
) -> list[Appointment]:
    """The people moves a sentence reports: its main verb's, a verb's joined to it by 고 / 며 ("A가 CFO에
    선임됐고, B는 CRO로 선임됐다"), and each of a list sharing the verb ("A를 전무로, B를 상무로 승진시켰다")."""
    # The main verb is the last one ("사임한 C 대표 후임으로 D를 선임했다" reports D's appointment).
    verbs = list(APPOINTMENT_VERB.finditer(sentence.text))
    if not verbs:
        return []
    # "물러나고 " ends its clause inside the match; the others by the ending after it.
    joined = [
        verb
        for verb in verbs[:-1]
        if _COORDINATE.match(sentence.text, verb.end()) or re.search(r"(?:고|며)\s$", verb.group())
    ]
    found: list[Appointment] = []
    clause_start = 0
    for verb in [*joined, verbs[-1]]:
        appointment = find_appointment(sentence, published_at, titles, verb, previous)
        if appointment is not None:
            listed = _listed_people(sentence, verb, clause_start, appointment, titles)
            found.extend(
                move
                for move in [*listed, appointment]
                if all((move.person.name, move.kind) != (seen.person.name, seen.kind) for seen in found)
            )
        clause_start = verb.end()
    return [_successor_post(sentence, move, found) for move in found]


# "후임에 B가 내정됐다", "후임으로는": the one named next takes the post the one leaving left.
_SUCCESSOR = re.compile(r"후임(?:으로는|으로|에는|에|자로)\s")


def _successor_post(sentence: Sentence, move: Appointment, moves: list[Appointment]) -> Appointment:
    """`move` with the post of the move leaving it when it names none and follows 후임에 / 후임으로."""
    if move.title is not None or move.person.start < sentence.start:
        return move
    before = sentence.text[: move.person.start - sentence.start]
    if not _SUCCESSOR.search(before[-12:]):
        return move
    left = next((other for other in moves if other.kind in _LEAVING_KINDS and other.title), None)
    return _same_move(move, move.person, left.title) if left is not None else move


def _listed_people(
    sentence: Sentence, verb: re.Match[str], clause_start: int, moved: Appointment, titles: frozenset[str]
) -> list[Appointment]:
    """People listed before the one a verb moves, each with a post and a comma ("임태성 상무를 전무로, 남궁민
    상무보를 상무로 각각 승진시켰다"): the same move, to the post written with each."""
    role = _person_role(sentence, verb)
    tagged = [m for m in sentence.of_type("PERSON") if not m.attrs.get("unresolved")]
    # A listed name the model missed is known by a surname and the title after it (길도현 상무를).
    untagged = [
        m
        for m in _titled_names(sentence, verb.start(), titles)
        if not any(t.start < m.end and m.start < t.end for t in tagged)
    ]
    people = sorted(
        (m for m in tagged + untagged if clause_start <= sentence.local(m)[0] and m.end <= moved.person.start),
        key=lambda m: m.start,
    )
    listed = []
    joined_from = _joined_from(sentence, people, moved.person.start - sentence.start)
    for index, person in enumerate(people):
        following = people[index + 1] if index + 1 < len(people) else None
        end = sentence.local(following)[0] if following else moved.person.start - sentence.start
        segment = sentence.text[sentence.local(person)[1] : end]
        if index >= joined_from:
            # "남지수 상무와 편도윤 상무가 각각 전무로 승진했다": joined to the one moved, the same move and post.
            listed.append(_same_move(moved, party(person), moved.title))
            continue
        marked = _LISTED_POST.match(segment)
        if not role.match(segment + " ") or marked is None:
            continue
        title, _ = post_phrase(marked.group(1), titles)
        if title is None:
            continue
        listed.append(_same_move(moved, party(person), title))
    return listed


def _joined_from(sentence: Sentence, people: list[Mention], moved_start: int) -> int:
    """The index of the first of `people` joined up to the one moved by 와 / 과 / commas alone ("A 상무와 B 상무가")."""
    first, end = len(people), moved_start
    for index in range(len(people) - 1, -1, -1):
        if not _JOINED_PERSON.fullmatch(sentence.text[sentence.local(people[index])[1] : end]):
            break
        first, end = index, sentence.local(people[index])[0]
    return first


def _same_move(moved: Appointment, person: Party, title: str | None) -> Appointment:
    return Appointment(moved.kind, person, title, moved.org, moved.date, moved.sentence, moved.start, moved.end)


def find_appointment(
    sentence: Sentence,
    published_at: str | None,
    titles: frozenset[str],
    verb: re.Match[str],
    previous: Party | None = None,
) -> Appointment | None:
    """The people move `verb` reports, or None (no person, or unsure wording)."""
    if is_unsure(sentence.text, verb.start(), verb.end()):
        return None
    if verb.group(1):
        kind = _KIND.get(verb.group(1), verb.group(1))
    else:
        kind = "사임" if verb.group(2) else "영입" if verb.group(5) else "선임"
    person = _person(sentence, verb, titles)
    if person is None:
        return None
    title, org = _title_and_org(sentence, person, verb.start(), titles, previous)
    if (verb.group(3) or verb.group(5)) and title is None:
        return None  # "1위에 올랐다", "새 국면을 맞았다": no post, no move
    moved = party(person)
    words = moved.name.split(" ")
    names = [word for word in words if len(word) == 3 and is_korean_name(word)]
    if len(words) > 1 and len(names) == 1:
        # "김도윤 클라우드", "서치웨이 성지호": the model ran a name into the word beside it; the name is the word
        # of a Korean name's shape, and a word before it names the organisation.
        offset = moved.name.index(names[0])
        before = moved.name[:offset].strip()
        moved = Party(names[0], None, person.start + offset, person.start + offset + 3)
        if org is None and len(before) > 1:
            org = Party(before)
    if kind in _LEAVING_KINDS and re.search(r"(?:으로|로)\s$", sentence.text[: verb.start()]):
        title = None  # "고문으로 물러났다": where the person steps back to, not the post left
    brought_in = verb.group(1) == "영입" and _person_role(sentence, verb) is _OBJECT
    # "옥세린 사내이사를 신규 선임하고": nothing but adverbs between the person's case and the verb, so the post
    # written with the name is the one given
    case = _OBJECT.match(sentence.after(person, 40))
    named_post = (
        case is not None
        and not set(sentence.text[sentence.local(person)[1] + case.end() : verb.start()].split()) - _ADVERBS
    )
    if title is None and (kind in _SUBJECT_KINDS or verb.group().startswith("재") or brought_in or named_post):
        # The post written with the name when none is written before the verb: left or taken up (A 대표가 사임했다),
        # kept (재선임), or the one a person is brought in as (국민석 전무를 영입했다).
        title = person.attrs.get("title")
    if org is None and len(person.attrs.get("org", "")) >= 2:
        org = Party(person.attrs["org"])  # "강석진 현 대표": the model's org may be a word like 현
    return Appointment(
        kind=kind,
        person=moved,
        title=title,
        org=org,
        date=event_date(sentence, published_at),
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
    )
