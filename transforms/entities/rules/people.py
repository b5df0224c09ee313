"""Person rules: split names rejoined, people before affiliations, person/organisation splits, foreign
family names, the majority type of a name, and the shape tests of a Korean full name."""

from __future__ import annotations

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import HANGUL_SYLLABLE, SURNAMES
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.rules.common import (
    NAMED_TYPES,
    TENSE_OF_POST,
    WORD_LETTERS,
    is_post_word,
    known_as,
    post_after,
    scoped_post,
    title_after,
    without_covered,
)
from transforms.records import Mention

# Syllables Kiwi reads as a particle at the end of a name: 손정의 -> 손정 + 의 (JKG).
_PARTICLE_ENDINGS = frozenset("의가는")
# Particles written after a name (what a name's word may end with that is not the name).
_PARTICLE_WORDS = frozenset((*"이가은는을를의와과도에로만", "에서", "으로", "에게", "까지", "부터"))
# Syllables that end a name's word as a particle or a suffix, not as the name's last syllable (김철|씨, 윤서|는).
_NOT_NAME_ENDINGS = frozenset("은는이가을를의와과도만에로씨측님께군양들")


def foreign_family_names_as_people(mentions: list[Mention]) -> None:
    """`샘 올트먼 CEO는 … 올트먼은`: a foreign person is referred to by the last word of the name, which the
    tagger, seeing it alone, may type an organisation or a place; it is the person (resolved to the full name
    with the other references)."""
    family_names = {
        mention.surface.rpartition(" ")[2]
        for mention in mentions
        if mention.type == "PERSON" and foreign_full_name(mention.surface)
    }
    family_names = {name for name in family_names if len(name) >= 2}
    for mention in mentions:
        if mention.surface in family_names and mention.type in ("ORG", "LOC"):
            mention.type = "PERSON"


def person_or_organisation_by_majority(mentions: list[Mention]) -> None:
    """`푸른칩스는` tagged a person in an article that names 푸른칩스 an organisation four times: a name tagged
    both a person and an organisation is the type most of its mentions have (a tie changes nothing). A place
    keeps its type: KLUE types a country a place and an organisation in one text by what it does."""
    counts: dict[str, list[int]] = {}
    for mention in mentions:
        if mention.type == "PERSON" or mention.type == "ORG":
            counts.setdefault(mention.surface, [0, 0])[mention.type == "ORG"] += 1
    for mention in mentions:
        people, organisations = counts.get(mention.surface, (0, 0))
        if people and organisations and people != organisations:
            mention.type = "ORG" if organisations > people else "PERSON"


# Last syllables of abbreviated bodies (공정위, 국토부, 조달청, 감사처): no Korean given name ends so.
_BODY_ABBREVIATION_ENDS = frozenset("위부청처")


def people_before_affiliations(text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer) -> None:
    """`조지안 누리클라우드 대표`, `조지안 최고기술책임자`: a word shaped like a Korean full name that no lexicon
    types (`only_a_person_name`), tagged a place before a post, or a place or an organisation before a name
    and a post, is the person, and that name the person's organisation. An organisation right before a post
    keeps its type (`신라젠 대표`), and so does an abbreviated body (`권익위`, `해수부`: ends in 위, 부, 청, 처)."""
    for index, mention in enumerate(mentions):
        if (
            mention.type not in ("LOC", "ORG")
            or mention.surface[-1] in _BODY_ABBREVIATION_ENDS
            or not only_a_person_name(mention.surface, forms, gazetteer)
        ):
            continue
        previous = mentions[index - 1] if index else None
        if previous is not None and previous.type == "PERSON" and text[previous.end : mention.start] == " ":
            continue  # `한지우 오픈랩 대표`: after a person, the word is the affiliation
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.type in NAMED_TYPES
            and text[mention.end : following.start] == " "
            and post_after(text, following.end, gazetteer)
        ):
            mention.type, following.type = "PERSON", "ORG"
        elif mention.type == "LOC" and post_after(text, mention.end, gazetteer):
            mention.type = "PERSON"


def foreign_full_name(surface: str) -> bool:
    """Words with a space, the first no lone surname (`리처드 웨일`, `샘 올트먼`, not `최 원장`)."""
    first, space, _ = surface.partition(" ")
    return bool(space) and (len(first) > 1 or first not in SURNAMES)


# Written onto a surname, these address a person (`김씨가`, `이군의`): the word is no full name.
_FORMS_OF_ADDRESS = frozenset("씨군양옹")


def rejoin_split_name(text: str, mention: Mention, forms: EntityForms, gazetteer: Gazetteer) -> Mention:
    """손정의 read as 손정 + 의: a two-syllable person right before 의/가/는 takes that syllable back when
    the three-syllable whole is a known person name and the two-syllable part is not one in KLUE. A
    two-syllable person whose word is one syllable longer, that syllable no particle (윤서|연 핀포인트 대표:
    Kiwi read 연 as a determiner), is the three-syllable name the word spells; so is a surname alone whose
    three-syllable word a post follows (`최가온 금융보안원장`: Kiwi read 최 + 가 + 온) when no lexicon types
    that word otherwise."""
    end = mention.end
    if (
        mention.type == "PERSON"
        and len(mention.surface) == 1
        and text[end + 2 : end + 3] == " "
        and text[end] not in _FORMS_OF_ADDRESS
        and (mention.start == 0 or not text[mention.start - 1].isalnum())
        and only_a_person_name(text[mention.start : end + 2], forms, gazetteer)
        and post_after(text, end + 2, gazetteer)
    ):
        whole = text[mention.start : end + 2]
        return Mention(mention.start, end + 2, whole, "PERSON", whole)
    if (
        mention.type == "PERSON"
        and len(mention.surface) == 2
        and mention.surface[0] in SURNAMES
        and end < len(text)
        and text[end] not in _NOT_NAME_ENDINGS
        and HANGUL_SYLLABLE.match(text[end])
        and (end + 1 == len(text) or not text[end + 1].isalnum())
        and (mention.start == 0 or not text[mention.start - 1].isalnum())
    ):
        whole = mention.surface + text[end]
        return Mention(mention.start, end + 1, whole, "PERSON", whole)
    if (
        mention.type != "PERSON"
        or len(mention.surface) != 2
        or mention.surface[0] not in SURNAMES
        or end >= len(text)
        or text[end] not in _PARTICLE_ENDINGS
    ):
        return mention
    whole = mention.surface + text[end]
    if not known_as(whole, "PS", forms, gazetteer):
        return mention
    short = forms.entries.get(mention.surface)
    if short is not None and short[0] == "PS" and short[1] == "hi":
        return mention
    return Mention(mention.start, end + 1, whole, "PERSON", whole)


def split_person_organisation(
    text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`이재웅 쏘카 대표` tagged as one person: the name is the first word, the rest its organisation.
    `젠슨 황 엔비디아 CEO`: a name of any shape keeps its words but the last when that word is an organisation
    the gazetteer or this text (an organisation mention elsewhere) names. `권주원 솔빛에너지 대표` tagged as one
    organisation: a first word shaped like a Korean full name that no lexicon types otherwise is the person
    (the training split has such a name, an organisation and a post 127 times, one organisation so once)."""
    organisations = {mention.surface for mention in mentions if mention.type == "ORG"}
    result: list[Mention] = []
    whole_words: list[tuple[int, int]] = []
    for mention in mentions:
        if mention.type == "ORG" and " " in mention.surface:
            name, _, rest = mention.surface.partition(" ")
            if only_a_person_name(name, forms, gazetteer) and title_after(text, mention.end, gazetteer.titles):
                result.append(Mention(mention.start, mention.start + len(name), name, "PERSON", name))
                result.append(Mention(mention.end - len(rest), mention.end, rest, "ORG", rest))
                continue
        if mention.type != "PERSON" or " " not in mention.surface:
            result.append(mention)
            continue
        mention = _without_trailing_post(mention, gazetteer)
        name, _, rest = mention.surface.partition(" ")
        end = mention.end
        # (`임윤서 미르` in `임윤서 미르반도체 연구소장`: the word goes on, 미르 is no name there)
        whole_word = not HANGUL_SYLLABLE.match(text, end)
        if not looks_like_korean_name(name, rest, gazetteer) or (
            whole_word and one_foreign_name(name, rest, forms, gazetteer)
        ):
            name, _, rest = mention.surface.rpartition(" ")
            # `샘 올트먼`: a lone first name is no person, so the last word is the family name, whatever
            # else the text tags it (`올트먼은` read as an organisation); only a listed organisation splits
            if rest not in gazetteer.organisations and (rest not in organisations or " " not in name):
                rest = ""
        elif HANGUL_SYLLABLE.match(text, end) and not title_after(text, end, gazetteer.titles):
            # `임윤서 미르` tagged in `임윤서 미르반도체 연구소장`: the organisation is the whole word (not a
            # particle after it: `넘버원이`)
            word_end = end
            while HANGUL_SYLLABLE.match(text, word_end):
                word_end += 1
            if text[end:word_end] not in _PARTICLE_WORDS:
                end = word_end
                rest = text[mention.end - len(rest) : end]
        if rest and title_after(text, end, gazetteer.titles):
            result.append(Mention(mention.start, mention.start + len(name), name, "PERSON", name))
            result.append(Mention(end - len(rest), end, rest, "ORG", rest))
            if end > mention.end:
                whole_words.append((end - len(rest), end))
        else:
            result.append(mention)
    # the tagger's piece of the word now whole (`빛에너지` of `윤현우 솔|빛에너지`) goes
    return without_covered(result, whole_words) if whole_words else result


def split_latin_company_from_person(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`AMD 리사 수 CEO` tagged as one person: a listed company in Latin letters leading it is the company, the
    rest the person."""
    result: list[Mention] = []
    for mention in mentions:
        company, _, person = mention.surface.partition(" ")
        if (
            mention.type == "PERSON"
            and person
            and company.isascii()
            and company in gazetteer.organisations
            and HANGUL_SYLLABLE.match(person)
        ):
            result.append(Mention(mention.start, mention.start + len(company), company, "ORG", company))
            result.append(Mention(mention.end - len(person), mention.end, person, "PERSON", person))
        else:
            result.append(mention)
    return result


def _without_trailing_post(mention: Mention, gazetteer: Gazetteer) -> Mention:
    """`고은비 노바벤처스 심사역` tagged as one person: the post is no part of it (`이 전 장관` keeps it)."""
    words = mention.surface.split(" ")
    if len(words) < 3 or words[-1] not in gazetteer.titles or words[-2] in TENSE_OF_POST:
        return mention
    surface = mention.surface[: -len(words[-1]) - 1]
    return Mention(mention.start, mention.start + len(surface), surface, "PERSON", surface)


def only_a_person_name(word: str, forms: EntityForms, gazetteer: Gazetteer) -> bool:
    """Three Hangul syllables after a common surname that neither the gazetteers nor the lexicons type as an
    organisation, a place or another proper noun (권주원, not 서울대)."""
    if not shaped_like_full_name(word):
        return False
    entry = forms.entries.get(word)
    if word in gazetteer.organisations or (entry is not None and entry[0] != "PS"):
        return False
    return "L" not in gazetteer.name_kinds.get(word, "")


def looks_like_korean_name(name: str, rest: str, gazetteer: Gazetteer) -> bool:
    """`이재웅` in `이재웅 쏘카`, not `프랑크` in `프랑크 베옌스`: a three-syllable name with a common surname,
    or any short Hangul name when the rest is a known organisation or has an organisation suffix."""
    if not (2 <= len(name) <= 4 and all(HANGUL_SYLLABLE.match(char) for char in name)):
        return False
    if shaped_like_full_name(name):
        return True
    return rest in gazetteer.organisations or rest.endswith(gazetteer.org_suffixes)


def one_foreign_name(first: str, second: str, forms: EntityForms, gazetteer: Gazetteer) -> bool:
    """`이케다 세이고`, `오얀타 우말라`: a second word the name lexicon knows as a person's name, that neither
    lexicon types as an organisation or a place and that is no post, makes one foreign name with the first,
    whatever its shape (이케다 is shaped like a Korean full name)."""
    entry = forms.entries.get(second)
    return (
        "P" in gazetteer.name_kinds.get(second, "")
        and (entry is None or entry[0] == "PS")
        and second not in gazetteer.organisations
        and second not in gazetteer.titles
        and " " not in first
    )


def shaped_like_full_name(word: str) -> bool:
    """A common surname and two Hangul syllables a Korean given name is written with (이재웅, not 제임스)."""
    return (
        len(word) == 3
        and word[0] in SURNAMES
        and "가" <= word[1] <= "힣"
        and "가" <= word[2] <= "힣"
        and not (_foreign_syllable(word[1]) or _foreign_syllable(word[2]))
    )


# Hangul syllables by their jamo: initial (19) x vowel (21) x final (28, 0 none), from U+AC00.
_INITIALS_TENSE_OR_K = frozenset((1, 4, 8, 10, 13, 15))  # ㄲ ㄸ ㅃ ㅆ ㅉ ㅋ
_SIBILANTS = frozenset((9, 10, 12, 14))  # ㅅ ㅆ ㅈ ㅊ
_Y_VOWELS = frozenset((2, 3, 6, 7, 12, 17))  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ
_E_VOWELS = frozenset((5, 15))  # ㅔ ㅞ
_E_READINGS = frozenset((9, 12, 14))  # the initials of 세 제 체, the ㅔ syllables that are readings
_NAME_FINALS = frozenset((0, 1, 4, 8, 16, 17, 21))  # none ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ
_VOWEL_EU = 18  # ㅡ
_EU_N_FOREIGN = frozenset((3, 7, 9, 12, 14, 16, 17))  # 든 븐 슨 즌 츤 튼 픈
_EU_L_FOREIGN = frozenset((3, 7, 16, 17))  # 들 블 틀 플 (not 을 슬 늘 글 흘)


def _foreign_syllable(char: str) -> bool:
    """A syllable no Korean given name is written with: Sino-Korean readings (and the native words names take)
    end only in none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ, start with no tense consonant or ㅋ, and have no bare ㅡ (스, 크), no
    ㅔ but 세 제 체, no 샤 쇼 져 (the y-vowels after a sibilant), no 슨 튼 블: the marks of a transliterated
    foreign name (제임스, 마이클, 제이슨). In KLUE's training split such a syllable is in 3% of the single-word
    names shaped like a Korean full name (장쯔이, 제시카, and a few native names: 한그루) and in two of three
    foreign first names so shaped."""
    initial, rest = divmod(ord(char) - 0xAC00, 588)
    vowel, final = divmod(rest, 28)
    return (
        final not in _NAME_FINALS
        or initial in _INITIALS_TENSE_OR_K
        or (
            vowel == _VOWEL_EU
            and (final == 0 or (final == 4 and initial in _EU_N_FOREIGN) or (final == 8 and initial in _EU_L_FOREIGN))
        )
        or (vowel in _E_VOWELS and initial not in _E_READINGS)
        or (initial in _SIBILANTS and vowel in _Y_VOWELS)
    )


def drop_scoped_posts(text: str, mentions: list[Mention]) -> list[Mention]:
    """`이태성 KT 네트워크부문장`, `임소연 당근 광고사업실장`: a person tagged on a unit's name written onto its
    head's post (the whole word, or the unit before the post) is the post, unless the unit part is shaped like
    a Korean full name (`홍길동팀장`)."""
    kept = []
    for mention in mentions:
        if mention.type == "PERSON" and (mention.start == 0 or not text[mention.start - 1].isalnum()):
            word = WORD_LETTERS.match(text, mention.start)
            post = scoped_post(word.group(), mention.start) if word is not None else None
            if post is not None and post[1] > mention.end - 1 and not shaped_like_full_name(mention.surface):
                continue
        kept.append(mention)
    return kept


def trim_scoped_posts(mentions: list[Mention]) -> list[Mention]:
    """`박해린 부산시 디지털경제실장은`: an organisation or place tagged on through a unit head's post ends before
    it (the post is the person's title; KLUE's training split ends no such span with one); one that is such a
    post alone (`서초구청장`, `봉하사업본부장` read as places) is no name."""
    out = []
    for mention in mentions:
        if mention.type in ("ORG", "LOC"):
            head, space, last = mention.surface.rpartition(" ")
            if space and len(head) >= 2 and (scoped_post(last, 0) is not None or is_post_word(last)):
                end = mention.start + len(head)
                mention = Mention(mention.start, end, head, mention.type, head)
            elif not space and mention.surface.endswith(("장", "감", "수")) and is_post_word(mention.surface):
                continue
        out.append(mention)
    return out
