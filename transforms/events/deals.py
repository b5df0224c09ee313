"""Deal sentences: an investment received or made, a fund formed, an acquisition or merger, an IPO, a grant.

Rules over the sentences that carry a deal verb, reading the entity mentions already found in them: the
kind from the verb, the company from the sentence's roles (subject, 에-object, 을-object), the amount from
its MONEY mentions (revenue, valuations and cumulative totals set aside), investors from 로부터 / 주도 /
참여 phrases, the round from its name.
"""

from __future__ import annotations

import dataclasses
import re

from transforms.entities.gazetteer import person_titles
from transforms.events.common import (
    NOT_PARTIES,
    event_date,
    is_known_place,
    is_unsure,
    org_endings,
    party,
    subject_mention,
    subject_word,
)
from transforms.events.model import Deal, Party
from transforms.events.sentences import DESCRIPTORS, NAMED_TYPES, Sentence
from transforms.records import Mention

# A done or decided act (유치했다, 인수하기로, 투자 유치에 성공): a bare noun (투자 유치 금액) is not one.
_DONE = (
    r"(?:했|한다|하였|해\s|해,|하며|하고|하는\s?데\s?성공|하기로|키로|한\s|된다|됐|되었|돼|에\s?성공"
    r"|(?:을|를)\s?(?:마쳤|완료|마무리|확정했|확정\s?지었|성사시켰|이끌어\s?냈))"
)
# An abbreviation glossing the noun before its verb: 전략적 투자(SI)했다, 인수합병(M&A)했다, 유가증권시장(코스피)에.
_GLOSS = r"(?:\([^)]{1,12}\))?"
# Adverbs press puts between the sum or round and its verb: 25억원을 추가 유치했다, 라운드를 최근 클로징했다.
_VERB_ADVERB = r"(?:(?:추가로?|최근|성공적으로|새로|신규|공식|모두|총)\s)?"
# The price between the thing bought and the verb: "지분 100%를 150억원에 취득했다".
_PRICE = r"(?:\S+(?:원|달러)에\s)?"
_ROUND_WORD = (
    r"(?<![가-힣A-Za-z])(?:시드|프리\s?시리즈\s?[A-F]|프리\s?[A-F]|시리즈\s?[A-F]|브릿지|프리\s?IPO"
    r"|Pre-?IPO|Pre-?[A-F]|Series\s?[A-F])"
)
# (kind, role of the company, verb pattern); the first kind whose verb the sentence has wins, in this order.
TRIGGERS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "investment",
        "subject",
        re.compile(
            rf"투자(?:를|금을|금)?\s?{_VERB_ADVERB}(?:유치|확보|조달){_DONE}"
            rf"|투자(?:를|금을)?\s?{_VERB_ADVERB}받(?:았|는다|아|으며|고|은|게)|투자를\s?(?:이끌어\s?냈|끌어냈)"
            # "시리즈A 펀딩에 성공했다", "펀딩을 마쳤다": 펀딩 is the press's loanword for a round raised.
            rf"|펀딩(?:을|를)?\s?(?:유치|확보){_DONE}|펀딩에\s?성공|펀딩(?:을|를)\s?(?:마쳤|마무리|완료|클로징)"
        ),
    ),
    (
        "investment",
        "subject",
        re.compile(
            rf"{_ROUND_WORD}\s?(?:투자\s?)?(?:라운드|투자)?(?:를|을)?\s?{_VERB_ADVERB}(?:유치|확보|마무리|마감|클로징|확정){_DONE}"
        ),
    ),
    # "브릿지 라운드를 마쳤다": a round closed.
    (
        "investment",
        "subject",
        re.compile(rf"{_ROUND_WORD}\s?(?:라운드|투자)(?:를|을)\s?{_VERB_ADVERB}(?:마쳤|끝냈|완료했|마감했)"),
    ),
    # "시리즈C 라운드에서 600억원을 확보했다": the sum is what is raised, in a sentence about a round or investment.
    # "시리즈A에서 200억원을 끌어모았다": the same with the verbs of gathering money.
    (
        "raised",
        "subject",
        re.compile(
            rf"(?:원|달러)(?:\s?규모)?(?:의\s?(?:자금|투자금|재원))?(?:을|를)?\s?{_VERB_ADVERB}"
            rf"(?:(?:유치|확보|조달){_DONE}|(?:끌어)?모았|끌어들였)"
        ),
    ),
    # A headline or caption line: "업스테이지, 50억원 규모 시리즈A 투자 유치".
    ("investment", "headline", re.compile(r"투자\s?유치(?:\s?(?:성공|완료|마무리))?\s*[.…]?\s*$")),
    # "펀드를 조성했다", "신규 펀드로 1200억원을 모았다".
    (
        "fund",
        "subject",
        re.compile(
            r"(?:펀드|조합)(?:를|을|로)?\s?(?:[^\s.]+\s){0,2}?(?:조성|결성|출범|설립|만들|만든|만드|모았|모은다|모으)"
            # "신규 펀드 1차 클로징을 완료했다": a closing is the fund formed (its first part).
            r"|(?:펀드|조합)\s(?:\d차\s)?(?:클로징|결성)(?:을|를)\s?(?:완료|마쳤|마무리)"
        ),
    ),
    # "B를 인수했다", "B와 인수 계약을 체결했다", "B의 지분 100%를 인수하는 계약을 체결했다", "B를 인수합병(M&A)했다".
    (
        "acquisition",
        "object",
        re.compile(
            rf"(?:인수|인수합병|합병){_GLOSS}(?:\s(?:작업|절차|거래))?(?:\s?(?:완료|마무리))?"
            rf"(?:{_DONE}|(?:하는)?\s?(?:본계약|계약|주식매매계약){_GLOSS}을\s?체결)"
        ),
    ),
    # "B의 지분 100%를 확보했다", "B의 경영권 지분을 취득했다": the whole company or its control bought.
    (
        "acquisition",
        "object",
        re.compile(
            rf"(?:지분\s?(?:100\s?%|전량|전부)|경영권(?:\s지분)?(?:\s?\d+\s?%)?)(?:를|을)\s?{_PRICE}"
            rf"(?:(?:확보|취득|인수|매입){_DONE}|사들였|사들인다)"
        ),
    ),
    # "B를 품었다", "B를 2000억원에 사들였다": the press's words for buying a company (a named one only).
    (
        "acquisition",
        "bought",
        re.compile(
            rf"(?<=[을를]\s){_PRICE}(?:품었|품는다|품에\s?안았|사들였|사들인다|(?:자회사|계열사|손자회사)로\s?편입{_DONE})"
        ),
    ),
    # "A는 B에 매각됐다" / "C는 A를 B에 매각했다": the company sold, bought by the 에-phrase.
    ("acquisition", "sold", re.compile(rf"매각{_DONE}")),
    (
        "ipo",
        "subject",
        re.compile(
            rf"(?:코스닥|코스피|유가증권시장|나스닥|뉴욕증권거래소|증시)(?:\s?시장)?{_GLOSS}(?:에|에서)?\s?{_VERB_ADVERB}"
            # A listing is its day: "상장을 확정했다" (approved) is not one yet.
            rf"(?:(?:상장|입성)(?!을\s?확정){_DONE}|데뷔(?:했|한다|하며))"
        ),
    ),
    (
        "grant",
        "subject",
        re.compile(
            r"지원받(?:았|는다|아|으며|고|게)|(?:지원금|보조금|정책자금|출연금|바우처|(?:사업화|R&D|연구개발|정부)\s?자금|개발비)[^.]{0,20}?(?:받았|받는다|받아|받게|확보|수령)"
        ),
    ),
    # "B의 시리즈B 투자에는 C, D가 참여했다": the company named before 의, the investors by their phrase.
    (
        "investment",
        "possessive",
        re.compile(
            rf"의\s(?:{_ROUND_WORD}\s?)?(?:투자|라운드|펀딩)(?:\s?라운드)?에(?:는|도)?\s[^.]*?(?:참여|주도|리드){_DONE}"
        ),
    ),
    # "B에 50억원을 투자했다", "… 투자를 단행했다 / 집행했다 / 했다", "투자에 나섰다" (done; 나설 is planned).
    # "B에 대한 100억원 규모의 투자를 결정했다", "B에 3000만 달러를 베팅했다".
    (
        "investment",
        "target",
        re.compile(
            rf"투자{_GLOSS}(?:를|금을)?\s?(?:단행|집행|진행|결정|실시)?{_DONE}|투자에\s?나섰|(?:원|달러)(?:을|를)\s?베팅(?:했|한다)"
        ),
    ),
)
# Any deal verb: sentences without one are not looked at.
DEAL_WORDS = re.compile(
    r"투자|펀딩|라운드|펀드|조합|인수|합병|매각|상장|입성|데뷔|지원|보조금|정책자금|출연금|바우처|자금|지분|경영권|"
    r"품었|품는다|품에|사들|베팅|편입|" + _ROUND_WORD
)
# A sum raised (유치, 확보) is an investment only in a sentence about investment or a round.
_INVESTMENT_CONTEXT = re.compile(r"투자|라운드|" + _ROUND_WORD)
ROUND = re.compile(_ROUND_WORD, re.IGNORECASE)
# An amount right after these words is not the deal's: results, valuations, totals, budgets, prices.
_NOT_DEAL_AMOUNT_BEFORE = re.compile(
    # "누적 투자금이 40억원으로": a running total, however it is worded.
    r"(?:누적\s?(?:투자|유치|조달)|"
    r"매출|매출액|영업이익|영업손실|순이익|순손실|이익|손실|시장\s?규모|예산|기업\s?가치|가치|밸류에이션|누적|"
    r"시가총액|시총|연봉|공모가|가격|자본금|거래액|거래대금|총액|적자|흑자)[^\s]{0,3}\s?(?:약\s|총\s|모두\s)?$"
)
_NOT_DEAL_AMOUNT_AFTER = re.compile(
    r"^(?:의|에|을|를|로)?\s?(?:규모의?\s?)?(?:매출|영업이익|순이익|가치|기업가치|시장|예산|적자|흑자)"
)
_INVESTOR_AFTER = re.compile(
    r"^(?:\([^)]{0,30}\))?\s?(?:등\s?(?:\d+(?:곳|개사|개\s?기관)\s?)?)?"
    # "A 등 재무적 투자자(FI)로부터": the givers' role may be named before 로부터
    r"(?:(?:(?:(?:전략적|재무적|신규|기존|주요)\s?)?(?:투자자|투자사|투자기관)(?:\([A-Z]{2,3}\))?)?(?:으로부터|로부터)|"
    r"에서|(?:이|가|은|는|의|도|까지)?\s?(?:공동(?:으로)?\s?)?(?:주도|리드|참여|출자|이끈|이끌|동참|함께했)|"
    # "A가 전략적 투자자(SI)로 참여했다": the subject's role named before the verb (not `A는 … 참여한 B`)
    r"(?:이|가|도)\s(?:(?:전략적|재무적|신규|기존|후속|주요|앵커)\s?)?(?:투자자|투자사|투자기관)(?:\([A-Z]{2,3}\))?"
    r"(?:로서|로)\s(?:공동(?:으로)?\s?)?(?:주도|리드|참여|출자|동참)(?!한\s)|"
    # "신한벤처투자를 리드로", "A를 리드 투자자로": named as the round's lead
    r"(?:을|를)\s?(?:리드|주도)\s?(?:투자자|투자사|투자기관|기관)?\s?(?:로|으로))"
)
# "A, B와 C", "A를 비롯해 B가": names sharing one role
_LIST_JOINER = re.compile(r"(?:\([^)]{0,30}\))?\s?(?:,|·|와|과|및|(?:을|를)\s?비롯(?:해|한|하여))\s?")
_LIST_AFTER = re.compile("^" + _LIST_JOINER.pattern)
_LEAD = re.compile(r"주도|리드|이끈|이끌")
_LIST_INSIDE = re.compile(r"(?<=[가-힣A-Za-z0-9])(?:와|과)\s|\s?[,·]\s?|\s및\s")
_TARGET_AFTER = re.compile(r"^(?:\([^)]{0,30}\))?\s?(?:에|에게|에\s?대한|에\s?대해)\s")
# The company bought: "B를 인수", "B와 합병", "B의 지분 100%를 인수".
_OBJECT_AFTER = re.compile(r"^(?:\([^)]{0,30}\))?\s?(?:을|를|와|과|의\s?(?:지분|경영권|주식|사업부))\s?")
# The word before 에 in "B는 업스테이지에 50억원을 투자했다" when the entity model tagged no name there.
_TARGET_WORD = re.compile(r"(?<!\S)(?:\(주\)|㈜)?([0-9A-Za-z가-힣&.·\-]{2,20}?)(?:\([^)]{0,30}\))?(?:에|에게)\s")
# Where money goes that is not a company (a plant, a line, R&D, a field, a market, a region): the word before 에
# ending in one of these is a common noun or an action noun, as are plurals (스타트업들) and the kinds of company
# (DESCRIPTORS).
_COMMON_TARGET = re.compile(
    r"(?:공장|설비|시설|연구개발|개발|사업|분야|부문|인프라|센터|라인|시장|기술|연구|산업|생산|"
    r"증설|확충|구축|단지|거점|캠퍼스|부지|공정|장비|채권|주식|펀드|부동산|기금|프로젝트|"
    r"서비스|인력|인재|교육|마케팅|매장|물류|자동화|전환|지역|국내|해외|현지|법인|연구소|"
    r"연구원|병원|대학|기관|지자체|인수|합병|AI|R&D|ESG|IT|반도체|바이오|배터리|"
    r"인공지능|로봇|클라우드|블록체인|모빌리티|헬스케어|핀테크|콘텐츠|플랫폼|지분|경영권|창고|건물|빌딩|토지|사옥|호텔|자산|특허|라이선스|곳|들|등|"
    # action nouns: "물류센터 건립에", "생산라인 확장에", "인재 육성에"
    r"건립|건설|신설|조성|설립|확장|도입|개선|고도화|육성|강화|운영|지원|확보|양성|혁신|상용화|현대화|착공|보강|"
    # times: "올해 상반기에"
    r"상반기|하반기|분기|연말|연초|연간|매년)$"
)
# "그린랩스를 인수", "그린랩스 인수를 완료": the word right before the acquisition verb.
_OBJECT_WORD = re.compile(r"(?<!\S)(?:\(주\)|㈜)?([0-9A-Za-z가-힣&.·\-]{2,20}?)(?:\([^)]{0,30}\))?(?:을|를|와|과)?\s$")
# A modifier form (적극적인, 새로운, 유망한, 계획된): it describes the next noun, it names nothing.
_MODIFIER = re.compile(r"(?:적인|하는|되는|있는|로운|했던|하던|[한된할될])$")
# "4개 포대를 인수", "3곳에 투자": the word after a count is a counted thing, not a name.
_COUNTED = re.compile(r"\d\s?(?:개|곳|개사|대|기|척|건|채|동)\s$")
# Names of investment firms (카카오벤처스, KB인베스트먼트): what they fund in an 에-phrase is a company.
_INVESTMENT_FIRM = re.compile(
    r"(?:벤처스|파트너스|인베스트먼트|인베스트|캐피탈|캐피털|투자|엔젤스|자산운용|기술지주|액셀러레이터|에쿼티|PE|VC)$"
)
# Words that may stand between the investor and the company it funds: "카카오벤처스는 최근 업스테이지에".
_ADVERB = re.compile(
    r"최근|이미|또|또한|추가로|새로|새롭게|함께|각각|직접|다시|이어|처음으로|최초로|지난|총|약|모두|신규로|별도로|"
    r"공동으로|단독으로|올해|지난해|지난달|이달|이날|당시"
)
_LEADING_PARTICLE = re.compile(r"^(?:\([^)]{0,30}\))?(?:은|는|이|가|측은)(?=\s)")
# The headline's company: the word before its comma, after what kind of company it is ("패션 AI 스타트업 스타일봇,").
_HEADLINE_NAME = re.compile(r"^(?:\[[^\]]{1,10}\]\s?)?(?:[^\s,]+\s){0,4}?([^\s,]{2,20}),\s")
# "투자 규모는 30억원이다" after a deal that gave no sum: the sum of that deal (a cumulative total is not).
_AMOUNT_FOLLOW_UP = re.compile(
    r"(?<!누적\s)(?<!누적)(?:투자|라운드|펀딩|인수|매각|펀드)\s?(?:규모|금액|액수|액|금|총액|대금|가액)?(?:는|은)\s(?:총\s|약\s|모두\s)?$"
)
# The word before 의 in "스터디메이트의 시리즈B 투자에는" when no mention ends there.
_POSSESSOR_WORD = re.compile(r"(?<!\S)(?:\(주\)|㈜)?([0-9A-Za-z가-힣&.·\-]{2,20})$")
# "트래블메이트 대표는": a post with the subject particle right after an organisation.
_POST_SUBJECT = re.compile(r"^\s(\S+?)(?:은|는|이|가)\s")
# A deal verb that ends its clause with another deal after it: "투자하고, …", "인수했으며 …".
_JOINED_DEAL = re.compile(r"(?:하고|했고|했으며|하였고|하였으며)[,\s]\s?")
_FOLLOW_UP = re.compile(
    r"(?:이번|해당)\s?(?:투자|라운드|펀딩)[^.]{0,12}?(?:에는|에선|에서는|에|는|엔)\s.*(?:참여|주도|리드)"
    # "C가 리드 투자자로 나섰고 D가 참여했다": the round's investors named by their part in it.
    r"|투자[^.]*(?:참여|주도|리드)(?:했|하였)다"
)
# "투자사로는 C, D, E가 이름을 올렸다": every organisation the sentence names is one of the deal's investors.
_INVESTOR_ROLL = re.compile(r"^(?:이번\s)?(?:투자사|투자자|투자기관|참여\s?투자사|참여사)(?:로는|로|는)\s")


def canonical_round(text: str) -> str | None:
    """시리즈 A -> 시리즈A, 프리시리즈A / Pre-A -> 프리A, pre-IPO -> 프리IPO."""
    match = ROUND.search(text)
    if not match:
        return None
    word = re.sub(r"[\s-]", "", match.group()).upper().replace("SERIES", "시리즈").replace("PRE", "프리")
    return word.replace("프리시리즈", "프리")


def _deal_amount(sentence: Sentence, trigger_start: int) -> tuple[Mention | None, int | None]:
    """The amount the deal is of: the MONEY mention nearest before the verb (else the first after it) that
    is not a result, valuation or total; with its KRW value (the won figure given beside another currency)."""
    usable = []
    for money in sentence.of_type("MONEY"):
        if _NOT_DEAL_AMOUNT_BEFORE.search(sentence.before(money, 14)) or _NOT_DEAL_AMOUNT_AFTER.match(
            sentence.after(money, 12)
        ):
            continue
        usable.append(money)
    if not usable:
        return None, None
    before = [money for money in usable if sentence.local(money)[0] < trigger_start]
    return _with_won_value(before[-1] if before else usable[0], usable)


def _with_won_value(chosen: Mention, usable: list[Mention]) -> tuple[Mention, int | None]:
    """The amount and its KRW value: its own, or the won figure written beside another currency."""
    if chosen.normalized and chosen.normalized.isdigit():
        # "1000만 달러(약 130억원)": the won figure in brackets is the KRW value of the dollar amount before it.
        previous = [m for m in usable if m.end <= chosen.start and chosen.start - m.end <= 4]
        if previous and not previous[-1].normalized.isdigit():
            return previous[-1], int(chosen.normalized)
        return chosen, int(chosen.normalized)
    following = [m for m in usable if 0 <= m.start - chosen.end <= 4 and m.normalized and m.normalized.isdigit()]
    return chosen, int(following[0].normalized) if following else None


def investors(sentence: Sentence, exclude: tuple[Mention, ...] = ()) -> list[Party]:
    """Investors named by 로부터 / 주도 / 참여 phrases; a list (A, B와 C가 참여) shares its last item's role."""
    names = [m for m in sentence.named() if m not in exclude and not m.attrs.get("title")]
    found: list[Party] = []
    role: tuple[bool, bool] | None = None  # (investor, lead) of the next item, for lists
    for mention in reversed(names):
        after = sentence.after(mention, 30)
        match = _INVESTOR_AFTER.match(after)
        if match:
            role = (True, bool(_LEAD.search(match.group())))
        elif not (_LIST_AFTER.match(after) and role):
            role = None
        if role and role[0]:
            found.append(party(mention))
            found[-1].lead = role[1]
    found.reverse()
    unique: dict[str, Party] = {}
    for investor in found:
        for part in _split_list(investor):
            unique.setdefault(part.name, part)
    return list(unique.values())


def _split_list(investor: Party) -> list[Party]:
    """A list the entity model tagged as one name ("카카오벤처스와 DSC인베스트먼트") as its names (from the wording)."""
    parts = [part for part in _LIST_INSIDE.split(investor.name) if part]
    if len(parts) < 2:
        return [investor]
    return [Party(part, None, investor.start, investor.end, investor.lead) for part in parts]


def _first_after(
    sentence: Sentence, pattern: re.Pattern[str], before: int, skip: tuple[Mention, ...], nearest: bool = False
) -> Mention | None:
    """The first named mention ending before `before` whose next words match `pattern` (the nearest one to
    `before` when `nearest`)."""
    found = [
        mention
        for mention in sentence.named()
        if mention not in skip and sentence.local(mention)[1] <= before and pattern.match(sentence.after(mention, 24))
    ]
    return (found[-1] if nearest else found[0]) if found else None


def _trigger(sentence: Sentence) -> tuple[str, str, re.Match[str]] | None:
    """The deal verb: the first kind whose pattern the sentence has, at its last place (Korean ends a sentence
    with its main verb: "코미코를 2년 전 인수한 데 이어 노벨피아를 인수했다" reports the second)."""
    for kind, role, pattern in TRIGGERS:
        match = None
        for match in pattern.finditer(sentence.text):  # noqa: B007 - the last match is the one wanted
            pass
        if match and kind == "raised":
            if not _INVESTMENT_CONTEXT.search(sentence.text):
                continue
            kind = "investment"
        if match:
            return kind, role, match
    return None


def _roles(
    sentence: Sentence, role: str, verb: re.Match[str], previous: Party | None
) -> tuple[Party | None, list[Party]]:
    """(company, investors or acquirer) by the role the verb gives the company."""
    trigger = verb.start()
    backers = investors(sentence)
    taken = tuple(m for m in sentence.named() if any(b.start == m.start for b in backers))
    if role == "target":
        return _invested_in(sentence, trigger, backers, taken)
    if role in ("object", "bought"):
        if re.search(r"됐|된다|되었|돼", verb.group()):
            # "A가 B에 인수됐다": the subject is the company bought, the 에-phrase the buyer.
            bought = subject_mention(sentence, trigger)
            buyer = _first_after(sentence, re.compile(r"^(?:에|에게)\s"), trigger, (bought,) if bought else ())
            return (party(bought) if bought else None), ([party(buyer)] if buyer else [])
        buyer = subject_mention(sentence, trigger)
        # The verb's own object is the one nearest it ("코미코를 인수한 데 이어 노벨피아를 인수했다").
        bought = _first_after(sentence, _OBJECT_AFTER, trigger, (buyer,) if buyer else (), nearest=True)
        if bought is None:
            # "럭스포인트 인수를 마무리했다": the name written right before the verb's noun.
            bought = next((m for m in sentence.named() if m is not buyer and sentence.local(m)[1] + 1 == trigger), None)
        # A word read as the company bought only before 인수 (품었다 has objects that are no company: 꿈을 품었다).
        wordable = role == "object" and bought is None and buyer is not None and buyer.type == "ORG"
        word = _object_word(sentence, buyer, trigger) if wordable else None
        if word is not None:
            return word, [party(buyer)]
        if bought is None and buyer is not None:
            return (
                None,
                [],
            )  # "카카오는 공장 인수를 완료했다": the buyer bought something unnamed, it is not the company
        if bought is None:
            return (party(buyer) if buyer else subject_word(sentence, trigger, previous)), []
        if buyer is None:
            # "핀다는 크레딧랩을 인수했다": a buyer the model did not tag, read from the wording.
            word = subject_word(sentence, sentence.local(bought)[0], None)
            return party(bought), [word] if word else []
        return party(bought), [party(buyer)]
    if role == "sold":
        return _sold(sentence, verb, trigger)
    if role == "possessive":
        return _possessor(sentence, verb.start()), backers
    if role == "headline":
        named = _HEADLINE_NAME.match(sentence.text)
        return (Party(named.group(1), None, sentence.start + named.start(1)) if named else None), backers
    company = subject_mention(sentence, trigger, exclude=taken) or _speaker_org(sentence, trigger)
    return (party(company) if company else subject_word(sentence, trigger, previous)), backers


def _speaker_org(sentence: Sentence, trigger: int) -> Mention | None:
    """The organisation of a subject that is a post ("트래블메이트 대표는 \"…를 유치했다\"고 말했다"): the one
    speaking for the company reports its deal; the post itself is no company."""
    titles = person_titles()
    for mention in sentence.named():
        if sentence.local(mention)[1] >= trigger:
            break
        post = _POST_SUBJECT.match(sentence.after(mention, 24))
        if mention.type == "ORG" and post and any(post.group(1).endswith(title) for title in titles):
            return mention
    return None


def _invested_in(
    sentence: Sentence, trigger: int, backers: list[Party], taken: tuple[Mention, ...]
) -> tuple[Party | None, list[Party]]:
    """(company, investors) of "B는 A에 30억원을 투자했다": A from the 에-phrase, B the subject."""
    places = tuple(m for m in sentence.named() if is_known_place(m))  # 인도에, 미국 테네시에: where, not whom
    target = _first_after(sentence, _TARGET_AFTER, trigger, taken + places)
    if target is None:
        investor = subject_mention(sentence, trigger)
        company = _target_word(sentence, investor, trigger) if investor and investor.type == "ORG" else None
        if not (investor and company):
            return None, []
        return company, _unique([*_listed_before(sentence, investor), party(investor), *backers])
    giver_mention = subject_mention(sentence, trigger, exclude=(target,))
    giver = party(giver_mention) if giver_mention else subject_word(sentence, sentence.local(target)[0], None)
    givers = [*_listed_before(sentence, giver_mention), giver] if giver_mention else [giver] if giver else []
    return party(target), _unique(givers + [b for b in backers if b.name != target.canonical])


def _listed_before(sentence: Sentence, mention: Mention) -> list[Party]:
    """The names listed before a subject and sharing its role ("하나은행과 신한캐피탈은": 하나은행)."""
    named = sentence.named()
    listed: list[Party] = []
    position = named.index(mention) if mention in named else 0
    for earlier in reversed(named[:position]):
        between = sentence.text[sentence.local(earlier)[1] : sentence.local(named[position])[0]]
        if not _LIST_JOINER.fullmatch(between):
            break
        listed.insert(0, party(earlier))
        position = named.index(earlier)
    return listed


def _unique(parties: list[Party]) -> list[Party]:
    seen: dict[str, Party] = {}
    for one in parties:
        seen.setdefault(one.name, one)
    return list(seen.values())


def _target_word(sentence: Sentence, investor: Mention, trigger: int) -> Party | None:
    """The company read from the wording when the 에-phrase holds no mention (the caller asks only when an
    organisation mention is the subject: an investor acting): a word that is no common noun (공장에, 연구개발에).
    A company that is not an investment firm also puts money into fields (웹툰에, 전기차에): from one, the word
    counts only with a round named or an organisation ending (…랩스, …테크)."""
    _, giver_end = sentence.local(investor)
    financial = bool(_INVESTMENT_FIRM.search(party(investor).name) or ROUND.search(sentence.text))
    for match in _TARGET_WORD.finditer(sentence.text, giver_end, trigger):
        word = match.group(1)
        if not (financial or word.endswith(org_endings())) or not _only_adverbs(sentence, giver_end, match.start(1)):
            continue
        company = _name_word(sentence, match)
        if company is not None:
            return company
    return None


def _only_adverbs(sentence: Sentence, start: int, end: int) -> bool:
    """Whether only the subject's particle, mentions (dates, amounts) and adverbs stand between `start` and `end`:
    a plain noun there makes the word a noun phrase's head (신작 게임에, 미래 먹거리에), not a name."""
    chars = list(sentence.text[start:end])
    for mention in sentence.mentions:
        first, last = sentence.local(mention)
        for index in range(max(first, start), min(last, end)):
            chars[index - start] = " "
    words = _LEADING_PARTICLE.sub("", "".join(chars)).split()
    return all(_ADVERB.fullmatch(word) or word in NOT_PARTIES or word.endswith(",") for word in words)


def _object_word(sentence: Sentence, buyer: Mention, trigger: int) -> Party | None:
    """The company bought when no mention carries the object particle: the word right before the verb
    ("그린랩스 인수를 완료했다", "그린랩스를 인수했다"), if it is no common noun (지분 인수, 공장 인수)."""
    _, buyer_end = sentence.local(buyer)
    match = _OBJECT_WORD.search(sentence.text, buyer_end, trigger)
    if match is None or not _only_adverbs(sentence, buyer_end, match.start(1)):
        return None  # "물류 창고 인수": the head of a noun phrase
    return _name_word(sentence, match)


def _name_word(sentence: Sentence, match: re.Match[str]) -> Party | None:
    """The party a word (group 1 of `match`) names, or None when it reads as a common noun, a modifier, a count,
    a known place (인도에), a date or an amount. A name the model typed PERSON or LOC by mistake (타다) counts."""
    word = match.group(1)
    if word[0].isdigit() or word in NOT_PARTIES or word.endswith(DESCRIPTORS):
        return None
    if _COMMON_TARGET.search(word) or _MODIFIER.search(word) or _COUNTED.search(sentence.text, 0, match.start(1)):
        return None
    start, end = sentence.start + match.start(1), sentence.start + match.end(1)
    overlapping = [m for m in sentence.mentions if m.start < end and start < m.end]
    if any(is_known_place(m) for m in overlapping):
        return None
    if any(m.type not in NAMED_TYPES and m.start <= start and end <= m.end for m in overlapping):
        return None  # a date or an amount; a date cut out of a name (오늘 in 오늘의집) leaves the name
    exact = [m for m in overlapping if m.type == "ORG" and m.start == start and m.end == end]
    if exact:
        return party(exact[0])  # the model's organisation, missed by the particle rules only (linked to its entity)
    return Party(word, None, start, end)


def _possessor(sentence: Sentence, marker: int) -> Party | None:
    """The company a round belongs to: the mention or word right before 의 ("스터디메이트의 시리즈B 투자")."""
    for mention in sentence.named():
        if sentence.local(mention)[1] == marker and not is_known_place(mention):
            return party(mention)
    match = _POSSESSOR_WORD.search(sentence.text, 0, marker)
    return _name_word(sentence, match) if match else None


def _sold(sentence: Sentence, verb: re.Match[str], trigger: int) -> tuple[Party | None, list[Party]]:
    buyer = _first_after(sentence, re.compile(r"^(?:에|에게)\s"), trigger, ())
    skip = (buyer,) if buyer else ()
    if re.search(r"됐|된다|되었|돼", verb.group()):
        sold = subject_mention(sentence, trigger, exclude=skip)
        company = party(sold) if sold else subject_word(sentence, trigger, None)
    else:
        sold = _first_after(sentence, _OBJECT_AFTER, trigger, skip)
        company = party(sold) if sold else None
    if buyer is None and company is not None:
        # "우아한형제들은 딜리버리히어로에 … 매각됐다": a buyer the tagger missed, read from the wording
        after_company = company.end - sentence.start if company.end >= 0 else 0
        words = (_name_word(sentence, match) for match in _TARGET_WORD.finditer(sentence.text, after_company, trigger))
        word = next((word for word in words if word is not None and word.name != company.name), None)
        return company, [word] if word else []
    return company, [party(buyer)] if buyer else []


def find_deals(sentence: Sentence, published_at: str | None, previous: Party | None = None) -> list[Deal]:
    """The deals a sentence reports: one per clause when a deal verb ends its clause and another deal follows
    ("B에 50억원을 투자하고, 같은 날 C를 300억원에 인수했다"); a later clause's deal without investors shares the
    sentence's subject (the one who acts in both); one per company funded in a list with a sum each ("B에
    20억원, C에 15억원을 각각 투자했다")."""
    bounds = [0]
    for joint in _JOINED_DEAL.finditer(sentence.text):
        head, tail = sentence.clause(bounds[-1], joint.end()), sentence.clause(joint.end(), len(sentence.text))
        if _trigger(head) and _trigger(tail):
            bounds.append(joint.end())
    if len(bounds) == 1:
        deal = find_deal(sentence, published_at, previous)
        return _each_funded(sentence, deal) if deal else []
    bounds.append(len(sentence.text))
    found: list[Deal] = []
    actor = subject_mention(sentence, bounds[1])
    for start, end in zip(bounds, bounds[1:], strict=False):
        deal = find_deal(sentence.clause(start, end), published_at, previous)
        if deal is None:
            continue
        if not deal.investors and actor is not None and actor.type == "ORG" and party(actor).name != deal.company.name:
            deal.investors = [party(actor)]
        deal.sentence, deal.start, deal.end = sentence.text, sentence.start, sentence.end
        found.append(deal)
    return found


def _each_funded(sentence: Sentence, deal: Deal) -> list[Deal]:
    """`deal` split into one per company when the sentence lists the companies funded, each with its own sum and a
    comma between ("B에 20억원, C에 15억원을 각각 투자했다"); else `deal` alone."""
    found = _trigger(sentence)
    if found is None or found[:2] != ("investment", "target") or deal.company is None:
        return [deal]
    trigger = found[2].start()
    targets = [
        m
        for m in sentence.named()
        if sentence.local(m)[1] <= trigger and _TARGET_AFTER.match(sentence.after(m, 24)) and not is_known_place(m)
    ]
    money = [m for m in sentence.of_type("MONEY") if sentence.local(m)[1] <= trigger]
    if len(targets) < 2:
        return [deal]
    split: list[Deal] = []
    for index, target in enumerate(targets):
        end = targets[index + 1].start if index + 1 < len(targets) else sentence.start + trigger
        sums = [m for m in money if target.end <= m.start and m.end <= end]
        if len(sums) != 1:
            return [deal]
        last = index + 1 == len(targets)
        if not last and not sentence.text.startswith(",", sums[0].end - sentence.start):
            return [deal]  # "B에 20억원, C에 …": each sum closed by a comma
        amount, krw = _with_won_value(sums[0], money)
        split.append(
            dataclasses.replace(
                deal, company=party(target), amount=amount.normalized, amount_text=amount.surface, amount_krw=krw
            )
        )
    return split


def find_deal(sentence: Sentence, published_at: str | None, previous: Party | None = None) -> Deal | None:
    """The deal a sentence reports, or None (no deal verb, negated or planned wording, or no company)."""
    found = _trigger(sentence)
    if found is None:
        return None
    kind, role, verb = found
    if is_unsure(sentence.text, verb.start(), verb.end()):
        return None
    company, backers = _roles(sentence, role, verb, previous)
    if company is None or company.name in NOT_PARTIES:
        return None  # 정부가 민간 투자를 유치하기로 했다: a policy, not a company's deal
    # a grant's giver (a ministry, an agency) funds, it does not invest: no investors on a grant
    backers = [backer for backer in backers if backer.name != company.name] if kind != "grant" else []
    amount, krw = _deal_amount(sentence, verb.start())
    round_name = canonical_round(sentence.text) if kind == "investment" else None
    if kind in ("fund", "grant") and amount is None:
        return None  # "펀드를 조성" or "지원받" without a sum is a programme described, not a deal reported
    if kind == "investment" and amount is None and round_name is None and not backers:
        return None
    return Deal(
        kind=kind,
        company=company,
        amount=amount.normalized if amount else None,
        amount_text=amount.surface if amount else None,
        amount_krw=krw,
        round=round_name,
        investors=backers,
        date=event_date(sentence, published_at),
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
    )


def follow_up_investors(sentence: Sentence) -> list[Party]:
    """Investors a sentence adds to the deal before it: "이번 투자에는 B가 주도하고 C, D가 참여했다", "투자사로는
    C, D가 이름을 올렸다", or the subjects of an investing verb that names no company ("C와 D가 공동으로 투자했다";
    the caller asks only when the sentence gave no deal of its own)."""
    found = _trigger(sentence)
    if found is not None:
        kind, role, verb = found
        if (kind, role) != ("investment", "target") or is_unsure(sentence.text, verb.start(), verb.end()):
            return []
        giver = subject_mention(sentence, verb.start())
        return [*_listed_before(sentence, giver), party(giver)] if giver and giver.type == "ORG" else []
    if _INVESTOR_ROLL.match(sentence.text):
        return _unique([party(m) for m in sentence.named() if m.type == "ORG"])
    return investors(sentence) if _FOLLOW_UP.search(sentence.text) else []


def follow_up_amount(sentence: Sentence) -> tuple[Mention, int | None] | None:
    """The sum a sentence gives for the deal before it ("투자 규모는 30억원이다"), with its KRW value; None when
    the sentence reports a deal of its own or gives no such sum."""
    if _trigger(sentence):
        return None
    money = sentence.of_type("MONEY")
    for mention in money:
        if _AMOUNT_FOLLOW_UP.search(sentence.before(mention, 24)):
            return _with_won_value(mention, money)
    return None
