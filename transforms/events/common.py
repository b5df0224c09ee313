"""Rules both event kinds share: negated or unsure wording, the event date, the sentence's subject."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from transforms.entities.gazetteer import read_lines
from transforms.events.model import Party
from transforms.events.sentences import DESCRIPTORS, WORDING, Sentence
from transforms.records import Mention

# Wording that makes a sentence not report a done event: negated, cancelled, denied, only planned,
# rumoured or forecast. Checked after the trigger, where Korean puts these (the verb ending).
UNSURE = re.compile(
    r"무산|철회|취소|백지화|결렬|실패|않았|않는다|않기로|않을|않고|못했|못한다|못하|아니|부인|중단|보류|"
    r"검토|추진\s?중|추진하고|타진|협상\s?중|논의\s?중|계획이다|계획이라|계획을|예정이다|예정이라|방침|"
    r"전망|관측|것으로\s?보인다|가능성|수\s?있|루머|소문|하마평|물망|거론|유력|목표로|목표다|나설|나선다|추진한다"
)
# Words before a subject particle that stand for a company already named (이 회사는, 회사는, 동사는).
_BACK_REFERENCES = frozenset({"회사", "동사", "이 회사", "해당 회사", "업체", "이 업체", "같은 회사"})
# Words that carry a subject particle without being a party: times, discourse words, governments.
NOT_PARTIES = frozenset(
    {
        "이번",
        "이날",
        "정부",
        "양국",
        "양사",
        "당국",
        "업체들",
        "기업들",
        "올해",
        "지난해",
        "현재",
        "최근",
        "앞서",
        "이",
        "그",
        "또",
        "특히",
        "한편",
        "업계",
        "이로써",
        "이번에",
    }
)
# Kinds of financial company, known only inside a mention the model tagged whole (a bank's own name ends in 은행
# too: 하나은행 김철수 is no "kind + name", so these do not mark names in the wording as DESCRIPTORS do).
_FINANCIAL_KINDS = ("은행", "증권사", "카드사", "보험사", "캐피털사")
_SUBJECT_WORD = re.compile(r"(?<!\S)(?:\(주\)|㈜)?((?:이\s|해당\s)?[0-9A-Za-z가-힣&.·\-]+?)(?:은|는|이|가)(?=\s)")
# "(주)루멘랩스", "루멘랩스㈜": the company-form mark is not part of the name.
_CORPORATE_MARK = re.compile(r"^\(?주\)\s?|^㈜\s?|\s?\(주\)$|\s?㈜$")
# A verb's modifier form that looks like a word and a topic particle: 개발하는, 운영하는, 있는, 새로운.
_ADNOMINAL = re.compile(r"(?:하|되|있|없|않|이라|라|시키)는$")
# A name in quotes ('로지올'이) or with a gloss (에이스랩(대표 김철수)이) before its particle.
SUBJECT_PARTICLE = re.compile(r"^['’\"”]?(?:\([^)]{1,20}\))?(?:은|는|이|가|측은)\s")


# Where the verb's clause ends: what follows (", 올해 매출은 … 전망이다") is about something else.
_CLAUSE_END = re.compile(r",|(?:으며|며|고|지만|으나|는데)\s")


def is_unsure(text: str, verb_start: int, verb_end: int) -> bool:
    """Whether the verb's own clause (from the verb to the next clause break) is negated, planned or unsure.
    A verb that ends its clause itself (확보하며, 유치하고) leaves what follows to the next clause."""
    end = _CLAUSE_END.search(text, verb_start)
    return bool(UNSURE.search(text, verb_start, end.start() if end else len(text)))


def event_date(sentence: Sentence, published_at: str | None) -> str | None:
    """The first resolved DATE in the sentence, else the article's publication day."""
    for mention in sentence.of_type("DATE"):
        if mention.normalized:
            return mention.normalized
    return published_at[:10] if published_at else None


def party(mention: Mention) -> Party:
    """The party a mention names; a name read from the wording (WORDING) links to no entity."""
    name = _CORPORATE_MARK.sub("", mention.canonical or mention.surface).strip()
    words = name.split(" ")
    # "에듀테크 스타트업 클래스온", "인터넷전문은행 케이플러스" tagged whole: the name follows the kind of company.
    for position in range(len(words) - 1, 0, -1):
        if words[position - 1].endswith(DESCRIPTORS + _FINANCIAL_KINDS):
            name = " ".join(words[position:])
            break
    if mention.attrs.get(WORDING):
        return Party(name, None, mention.start, mention.end)
    return Party(name, mention.type, mention.start, mention.end, key=mention.canonical or mention.surface)


def subject_mention(sentence: Sentence, before: int, exclude: tuple[Mention, ...] = ()) -> Mention | None:
    """The first named mention before offset `before` (in the sentence) that carries a subject particle."""
    for mention in sentence.named():
        start, end = sentence.local(mention)
        if start >= before:
            break
        if mention not in exclude and SUBJECT_PARTICLE.match(sentence.text[end : end + 24]):
            return mention
    return None


def subject_word(
    sentence: Sentence, before: int, previous: Party | None, reject: Callable[[str], bool] | None = None
) -> Party | None:
    """The subject read from the wording when no mention covers it: the first word before `before` that
    carries a subject particle (뤼이드는), a back-reference (이 회사는) standing for `previous`."""
    for match in _SUBJECT_WORD.finditer(sentence.text[:before]):
        word = match.group(1)
        if word in _BACK_REFERENCES:
            return previous
        if word in NOT_PARTIES or word in DESCRIPTORS or word.isdigit() or len(word) < 2 or (reject and reject(word)):
            continue
        if word.endswith(("에", "에서", "로")) or _ADNOMINAL.search(match.group(0).strip()):
            continue  # an adverbial (대표이사에는) or a verb's modifier form (개발하는, 있는)
        if any(
            mention.start - sentence.start <= match.start(1) < mention.end - sentence.start
            for mention in sentence.mentions
        ):
            continue  # a date or an amount, or a mention the caller already weighed
        return Party(word, None, sentence.start + match.start(1), sentence.start + match.end(1))
    return None


@cache
def known_places() -> frozenset[str]:
    """The gazetteer's countries and regions (미국, 인도, 평택, 텍사스): a LOC mention holding one is a place."""
    return frozenset(read_lines("countries.txt") + read_lines("regions.txt"))


def is_known_place(mention: Mention) -> bool:
    """A LOC mention the gazetteer knows as a place, not a name the entity model typed LOC by mistake (코드잇)."""
    return mention.type == "LOC" and any(word in known_places() for word in mention.surface.split(" "))


@cache
def org_endings() -> tuple[str, ...]:
    """The gazetteer's organisation endings of two or more letters (랩스, 테크, 홀딩스): one-letter ones (부, 원) end
    common nouns too."""
    return tuple(ending for ending in read_lines("org_suffixes.txt") if len(ending) > 1)
