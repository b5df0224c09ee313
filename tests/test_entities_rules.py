"""IT-news rules on top of the tagger, on sentences written for these tests: names Kiwi splits before a
particle, a country in front of a company, everyday words that are not names, short references in
document mode, and how the warehouse stores types and references."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from transforms.entities import EntityExtractor, entities_jsonl, get_extractor
from transforms.entities.entity_forms import EntityForms, add_plain_words
from transforms.entities.features import PieceToken, token_columns
from transforms.entities.gazetteer import load_gazetteer
from transforms.entities.rules import build_mentions
from transforms.entities.rules.common import title_after
from transforms.entities.rules.organisations import join_city_and_police_station, organisations_named_as_affiliations
from transforms.entities.rules.people import shaped_like_full_name
from transforms.entities.rules.places import (
    add_places_after_place_nouns,
    add_places_the_training_forms_know,
    join_place_chains,
)
from transforms.entities.rules.spans import drop_places_in_derived_words
from transforms.entities.subtoken import trim_to_entity
from transforms.ids import article_id
from transforms.records import CleanArticle, Mention
from warehouse import Warehouse

ANCHOR = "2024-03-14"
NOW = dt.datetime(2024, 3, 14, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return get_extractor()


def named(mentions: list[Mention]) -> dict[str, str]:
    return {mention.surface: mention.type for mention in mentions if mention.type in ("PERSON", "ORG", "LOC")}


@pytest.mark.parametrize(
    "text",
    [
        "손정의가 이끄는 비전펀드는 올해 국내 인공지능 기업 두 곳에 투자했다.",
        "업계는 손정의의 다음 투자처로 국내 로봇 스타트업을 꼽는다.",
        "손정의는 이날 도쿄에서 열린 주주총회에서 반도체 사업 확대를 예고했다.",
    ],
)
def test_person_name_split_before_a_particle_is_rejoined(extractor: EntityExtractor, text: str) -> None:
    people = [mention.surface for mention in extractor.extract(text, ANCHOR) if mention.type == "PERSON"]
    assert "손정의" in people and "손정" not in people


def test_full_names_with_titles_and_organisations(extractor: EntityExtractor) -> None:
    text = "카카오 정신아 대표와 네이버 최수연 대표가 판교에서 열린 개발자 행사에 함께 참석했다."
    mentions = extractor.extract(text, ANCHOR)
    people = {m.surface: m.attrs for m in mentions if m.type == "PERSON"}
    assert people.get("정신아", {}).get("title") == "대표"
    assert people.get("최수연", {}).get("title") == "대표"
    assert named(mentions).get("카카오") == "ORG" and named(mentions).get("네이버") == "ORG"


@pytest.mark.parametrize(
    ("text", "country", "company"),
    [
        ("일본 소프트뱅크는 국내 핀테크 스타트업에 300억원을 투자하기로 했다.", "일본", "소프트뱅크"),
        ("미국 엔비디아가 새 데이터센터용 칩을 공개하자 국내 반도체주가 올랐다.", "미국", "엔비디아"),
    ],
)
def test_leading_country_is_split_off_an_organisation(
    extractor: EntityExtractor, text: str, country: str, company: str
) -> None:
    mentions = extractor.extract(text, ANCHOR)
    types = named(mentions)
    assert types.get(country) == "LOC", types
    assert types.get(company) == "ORG", types
    assert f"{country} {company}" not in types


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("일본 기상청은 규모 7.1의 지진이 발생했다고 밝혔다.", "일본 기상청"),
        ("미국 국방부는 새 위성 발사 계획을 공개했다.", "미국 국방부"),
        ("영국 통계청에 따르면 지난달 물가가 3% 올랐다.", "영국 통계청"),
    ],
)
def test_a_countrys_own_state_body_stays_one_organisation(extractor: EntityExtractor, text: str, body: str) -> None:
    types = named(extractor.extract(text, ANCHOR))
    assert types.get(body) == "ORG", types
    assert body.split()[0] not in types, types


def test_a_university_after_a_country_stays_one_organisation(extractor: EntityExtractor) -> None:
    text = "스위스 베른대 연구진과 일본 소프트뱅크가 손잡았다."
    tokens = extractor.kiwi.tokenize(text)
    university = (0, text.index(" 연구진"), "OG")
    company = (text.index("일본"), text.index("가 손"), "OG")
    mentions = build_mentions(text, tokens, [university, company], None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("스위스 베른대", "ORG"),
        ("일본", "LOC"),
        ("소프트뱅크", "ORG"),
    ], mentions


def test_abbreviation_in_parentheses_is_the_organisation_too(extractor: EntityExtractor) -> None:
    text = "그는 이동통신사업자연합(MNOA)의 회원사와 만났다. 한국인터넷진흥원(진흥원)은 신고가 늘었다고 밝혔다."
    mentions = extractor.extract(text, ANCHOR)
    canonical = {mention.surface: mention.canonical for mention in mentions if mention.type == "ORG"}
    assert canonical.get("MNOA") == "이동통신사업자연합", canonical
    assert canonical.get("진흥원") == "한국인터넷진흥원", canonical
    # a club's home country in that place is a place, never an alias
    home = extractor.extract("공격수 김민호(프랑스)가 결승골을 넣었다.", ANCHOR)
    assert not [mention for mention in home if mention.surface == "프랑스" and mention.type == "ORG"]


def test_a_name_written_again_in_chinese_characters_is_the_same_entity(extractor: EntityExtractor) -> None:
    text = "리커창(李克強) 중국 총리는 베이징(北京)에서 도요타(豊田) 관계자를 만났다."
    found = {mention.surface: (mention.type, mention.canonical) for mention in extractor.extract(text, ANCHOR)}
    assert found.get("李克強") == ("PERSON", "리커창"), found
    assert found.get("北京") == ("LOC", "베이징"), found
    assert found.get("豊田") == ("ORG", "도요타"), found


def test_a_places_name_in_latin_letters_is_the_same_place(extractor: EntityExtractor) -> None:
    text = "간담회는 서울 마포구 상암동 디지털미디어시티(DMC)에서 열렸다."
    found = {mention.surface: (mention.type, mention.canonical) for mention in extractor.extract(text, ANCHOR)}
    assert found.get("DMC") == ("LOC", "서울 마포구 상암동 디지털미디어시티"), found


def test_a_name_never_holds_half_a_bracket() -> None:
    text = "러시아 첼랴빈스크주(州)에서, 일본 홋카이도(北海道) 삿포로시에서"
    unclosed = (text.index("첼"), text.index("州") + 1, "LC")
    unopened = (text.index("北"), text.index("시에서", text.index("삿")) + 1, "LC")
    spans = trim_to_entity(text, [], [unclosed, unopened], lambda form: False, lambda form, kind: False)
    assert [text[start:end] for start, end, _ in spans] == ["첼랴빈스크주", "삿포로시"]
    # a bracket at the edge with no partner inside: the tagger ran the abbreviation on over its bracket
    text = "서해 북방한계선(NLL) 인근 (조선왕조 때"
    closing = (text.index("NLL"), text.index(")") + 1, "LC")
    opening = (text.index("(조"), text.index(" 때"), "LC")
    spans = trim_to_entity(text, [], [closing, opening], lambda form: False, lambda form, kind: False)
    assert [text[start:end] for start, end, _ in spans] == ["NLL", "조선왕조"]


def test_a_proper_noun_with_a_places_ending_is_a_place_the_tagger_missed(extractor: EntityExtractor) -> None:
    text = "행사는 광화문광장에서 열렸고 참가자들은 인천공항으로 이동했다. 그는 영화에서 악마역을 맡았다."
    # no span from the tagger: Kiwi's one-token proper nouns with a place's ending are places on their own
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), [], None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [("광화문광장", "LOC"), ("인천공항", "LOC")]


def test_a_place_runs_through_the_next_word_naming_a_site_there(extractor: EntityExtractor) -> None:
    text = "여객기는 로스앤젤레스 공항으로 회항했고 공연은 서울 올림픽홀에서 열렸다. 중국 가전시장이 커졌다."
    spans = [(text.index("로스"), text.index(" 공항"), "LC"), (text.index("서울"), text.index(" 올림픽"), "LC")]
    spans.append((text.index("중국"), text.index(" 가전"), "LC"))
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("로스앤젤레스 공항", "LOC"),
        ("서울 올림픽홀", "LOC"),
        ("중국", "LOC"),  # a market is no site
    ]


def test_a_national_team_stays_one_organisation(extractor: EntityExtractor) -> None:
    text = "한국 대표팀은 네덜란드 대표팀과 맞붙는다."
    spans = [(0, text.index("은"), "OG"), (text.index("네덜란드"), text.index("과 맞"), "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("한국 대표팀", "ORG"),
        ("네덜란드 대표팀", "ORG"),
    ]


def test_a_place_runs_on_through_the_place_noun_written_onto_it(extractor: EntityExtractor) -> None:
    text = "중부내륙고속도로는 상주터널 앞에서 막혔다."
    tokens = [
        PieceToken("중부내륙", "NNP", 0, 4, False),
        PieceToken("고속도로", "NNG", 4, 4, False),
        PieceToken("는", "JX", 8, 1, False),
        PieceToken("상주", "NNP", 10, 2, False),
        PieceToken("터널", "NNG", 12, 2, False),
        PieceToken("앞", "NNG", 15, 1, False),
    ]
    spans = [(0, 4, "LC"), (10, 12, "LC")]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("중부내륙고속도로", "LOC"),
        ("상주터널", "LOC"),
    ]


def test_a_one_word_name_goes_only_when_training_text_uses_it_as_a_word(extractor: EntityExtractor) -> None:
    """An acronym or a short common-noun name the training text never saw (an unseen broadcaster, 안행부)
    stays as the tagger read it; one that text uses outside names (DNA, 호텔) is dropped."""
    training = [("연구진은 DNA 분석 결과를 호텔 로비에서 공개했다.", set())]
    counts: dict[str, list[int]] = {}
    add_plain_words(
        counts,
        training,
        [[(t.form, t.tag, t.start, t.start + t.len) for t in extractor.kiwi.tokenize(text)] for text, _ in training],
    )
    forms = EntityForms.from_counts(counts)
    assert {"DNA", "호텔"} <= forms.plain and not forms.entries
    text = "QXTV는 DNA 분석 결과를 호텔에서 공개했다."
    tokens = extractor.kiwi.tokenize(text)
    by_form = {token.form: (token.start, token.start + token.len, token.tag) for token in tokens}
    assert by_form["QXTV"][2] == "SL" and by_form["DNA"][2] == "SL" and by_form["호텔"][2] == "NNG", by_form
    spans = [(*by_form["QXTV"][:2], "OG"), (*by_form["DNA"][:2], "OG"), (*by_form["호텔"][:2], "LC")]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer, forms)
    assert [(mention.surface, mention.type) for mention in mentions] == [("QXTV", "ORG")], mentions


def test_a_place_runs_through_its_chinese_gloss_and_the_unit_after_it(extractor: EntityExtractor) -> None:
    text = "대만 자이(嘉義)현의 라오산(老山)호텔과 판교(板橋) 사옥, 쑤저우(蘇州)시민"
    tokens = extractor.kiwi.tokenize(text)
    place = (0, text.index("("), "LC")
    hotel = (text.index("라"), text.index("(老"), "PS")  # the tagger's wrong type; the hotel noun decides
    hotel_gloss = (text.index("老"), text.index("老") + 2, "PS")
    company = (text.index("판"), text.index("(板"), "OG")
    city = (text.index("쑤"), text.index("(蘇"), "LC")
    mentions = build_mentions(text, tokens, [place, hotel, hotel_gloss, company, city], None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions if mention.type != "DATE"] == [
        ("대만 자이(嘉義)현", "LOC"),
        ("라오산(老山)호텔", "LOC"),
        ("판교", "ORG"),  # a space before 사옥: nothing written onto the gloss
        ("板橋", "ORG"),
        ("쑤저우", "LOC"),  # 시민 (citizens) is not the unit 시
        ("蘇州", "LOC"),
    ], mentions


def test_a_name_cut_inside_its_word_starts_with_the_word(extractor: EntityExtractor) -> None:
    """The tagger began a name where Kiwi cut the word (`산 수련원`, `테크`): the name is the whole word. After one
    syllable (`남북한`) or as one syllable (`한미일`) the cut stands."""
    text = "학생들은 가온산 수련원에서 묵었고 남북한과 한미일 정상은 루미나테크를 찾았다. 회사원B씨도 왔다."
    tokens = extractor.kiwi.tokenize(text)
    camp = (text.index("산 수"), text.index("에서"), "LC")
    guessed_person = (text.index("가온"), text.index("산 수"), "PS")
    north = (text.index("북한"), text.index("과 한"), "LC")
    japan = (text.index("일 정"), text.index("일 정") + 1, "LC")
    company = (text.index("테크"), text.index("를 찾"), "OG")
    anonymised = (text.index("B"), text.index("B") + 1, "PS")
    spans = [guessed_person, camp, north, japan, company, anonymised]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("가온산 수련원", "LOC"),
        ("북한", "LOC"),
        ("일", "LOC"),
        ("루미나테크", "ORG"),
        ("B", "PERSON"),  # a person named by a letter, as KLUE writes 511 of 511
    ], mentions


def test_a_name_after_words_run_together_without_a_space_is_the_name_alone(extractor: EntityExtractor) -> None:
    """`괜찮았는데강예빈`: an ending or a particle before the name in one run of letters marks words written
    without spaces (comments, reviews), not one word; 의 stays inside a name (`만남의광장 휴게소`)."""
    text = "처음엔 괜찮았는데강예빈 나오고 터키와그리스 추억이 만남의광장 휴게소까지 이어졌다."
    tokens = extractor.kiwi.tokenize(text)
    spans = [
        (text.index("강예빈"), text.index(" 나오"), "PS"),
        (text.index("그리스"), text.index(" 추억"), "LC"),
        (text.index("광장 휴"), text.index("까지"), "LC"),
    ]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("강예빈", "PERSON"),
        ("그리스", "LOC"),
        ("만남의광장 휴게소", "LOC"),
    ], mentions


def test_a_public_office_is_an_organisation_and_a_glued_area_noun_no_part_of_a_place(
    extractor: EntityExtractor,
) -> None:
    text = "경기 성남분당경찰서는 판교지역 스타트업 대표를 불렀고 대구 남구청도 나섰다."
    tokens = extractor.kiwi.tokenize(text)
    police = (0, text.index("는"), "LC")
    area = (text.index("판교"), text.index(" 스타트업"), "LC")
    ward = (text.index("대구"), text.index("도 나"), "LC")
    mentions = build_mentions(text, tokens, [police, area, ward], None, extractor.gazetteer)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("경기 성남분당경찰서", "ORG"),
        ("판교", "LOC"),
        ("대구 남구청", "ORG"),
    ], mentions


def test_a_noun_made_a_verb_is_no_name(extractor: EntityExtractor) -> None:
    text = "신입 개발자들은 협업 역량을 함양하고 함양 지리산 연수원에서 묵었다."
    tokens = extractor.kiwi.tokenize(text)
    verb = (text.index("함양하고"), text.index("하고"), "LC")
    county = (text.index("함양 지"), text.index(" 지리"), "LC")
    mentions = build_mentions(text, tokens, [verb, county], None, extractor.gazetteer)
    assert [(mention.start, mention.surface, mention.type) for mention in mentions] == [(county[0], "함양", "LOC")], (
        mentions
    )


def test_names_between_middle_dot_lookalikes_are_names(extractor: EntityExtractor) -> None:
    """Korean news often writes the middle dot as ㆍ (U+318D) or ᆞ (U+119E); Kiwi reads `Aㆍ Bㆍ C` as
    one common noun unless the dot is the middle dot. Offsets and surfaces stay the text's own."""
    text = "행사에는 네이버ㆍ카카오ㆍ쿠팡 임원들이 참석했고 지도에는 울릉도ᆞ독도ᆞ제주도 순서로 표기됐다."
    mentions = extractor.extract(text)
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("네이버", "ORG"),  # before: missed (Kiwi's token ran on through the dot)
        ("카카오", "ORG"),
        ("쿠팡", "ORG"),
        ("울릉도", "LOC"),  # before: none of the three
        ("독도", "LOC"),
        ("제주도", "LOC"),
    ], mentions
    assert all(text[mention.start : mention.end] == mention.surface for mention in mentions)


def test_an_organisation_named_as_an_affiliation_is_one_throughout_the_text(extractor: EntityExtractor) -> None:
    text = (
        "네이버클라우드는 일본 소프트뱅크와 손잡고 도쿄에 데이터센터를 짓는다. "
        "김유원 네이버클라우드 대표는 일본 공공 시장을 공략하겠다고 말했다. "
        "젠슨 황 엔비디아 CEO도 이날 도쿄를 찾았다."
    )
    mentions = extractor.extract(text, ANCHOR)
    types = {(mention.surface, mention.type) for mention in mentions}
    assert ("네이버클라우드", "PERSON") not in types, types
    assert ("네이버클라우드", "ORG") in types, types
    person = [mention for mention in mentions if mention.surface.startswith("젠슨")]
    assert [(mention.surface, mention.attrs.get("org")) for mention in person] == [("젠슨 황", "엔비디아")], person


def test_a_second_person_between_a_name_and_a_post_is_the_affiliation() -> None:
    """`한지우 오픈랩 대표`, the middle name tagged a person: it is the person's organisation, throughout the text;
    two people named side by side and addressed with 씨 stay two people."""

    def person(text: str, name: str, after: int = 0) -> Mention:
        start = text.index(name, after)
        return Mention(start, start + len(name), name, "PERSON", name)

    text = "모아랩 측은 조은솔 모아랩 대표가 이사회 의장을 겸한다고 밝혔다."
    mentions = [person(text, "모아랩"), person(text, "조은솔"), person(text, "모아랩", 8)]
    organisations_named_as_affiliations(text, mentions, EntityForms({}), load_gazetteer())
    assert [(mention.surface, mention.type) for mention in mentions] == [
        ("모아랩", "ORG"),
        ("조은솔", "PERSON"),
        ("모아랩", "ORG"),
    ]
    text = "배우 한도윤 서지민씨가 주연을 맡았다."
    mentions = [person(text, "한도윤"), person(text, "서지민")]
    organisations_named_as_affiliations(text, mentions, EntityForms({}), load_gazetteer())
    assert [mention.type for mention in mentions] == ["PERSON", "PERSON"]


def test_a_foreign_name_referred_to_by_its_last_word_resolves_to_the_whole(extractor: EntityExtractor) -> None:
    text = "샘 올트먼 오픈AI 최고경영자(CEO)가 다음 달 서울을 찾는다. 올트먼 CEO는 국내 기업들과 협력을 논의한다."
    people = [mention for mention in extractor.extract(text, ANCHOR) if mention.type == "PERSON"]
    assert [(mention.surface, mention.canonical) for mention in people] == [
        ("샘 올트먼", "샘 올트먼"),
        ("올트먼", "샘 올트먼"),
    ], people
    assert people[0].attrs == {"org": "오픈AI", "title": "최고경영자"}, people[0].attrs
    # a one-syllable last word too: `황 CEO` after `젠슨 황`, never an unresolved surname
    text = "젠슨 황 엔비디아 CEO가 대만에서 기조연설을 했다. 황 CEO는 새 칩을 소개했다."
    people = [mention for mention in extractor.extract(text, ANCHOR) if mention.type == "PERSON"]
    assert [(mention.surface, mention.canonical) for mention in people] == [("젠슨 황", "젠슨 황"), ("황", "젠슨 황")]
    assert "unresolved" not in people[1].attrs, people[1].attrs


def test_a_reference_takes_the_person_with_its_post_and_a_two_syllable_surname(extractor: EntityExtractor) -> None:
    # 황 of `황 CEO` is both 젠슨 황's last word and 황현식's surname: the one named with that post
    text = (
        "젠슨 황 엔비디아 CEO가 방한했다. 황현식 LG유플러스 사장도 행사에 참석했다. 황 CEO는 새 칩을 소개했다."
        " 남궁현 넷마블 대표는 신작을 공개했다. 남궁 대표는 미국에서 시험을 진행한다."
    )
    people = {(m.surface, m.canonical) for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"}
    assert ("황", "젠슨 황") in people and ("남궁", "남궁현") in people, people


def test_a_central_bank_governor_keeps_title_and_bank(extractor: EntityExtractor) -> None:
    text = "이창용 한은 총재는 기준금리를 동결했다. 이 총재는 물가가 안정됐다고 말했다."
    people = [mention for mention in extractor.extract(text, ANCHOR) if mention.type == "PERSON"]
    assert [(mention.canonical, mention.attrs.get("title"), mention.attrs.get("org")) for mention in people] == [
        ("이창용", "총재", "한국은행"),
        ("이창용", "총재", "한국은행"),
    ], people


def test_everyday_words_are_not_entities(extractor: EntityExtractor) -> None:
    text = "국내 유니콘 기업 세 곳이 DNA 분석과 클라우드 보안 서비스를 잇따라 내놨다."
    types = named(extractor.extract(text, ANCHOR))
    assert "유니콘" not in types and "DNA" not in types, types
    text = "유니콘 스타트업 컬리는 김포 물류센터를 증설한다. 김슬아 컬리 대표는 새 상품을 내놓겠다고 했다."
    types = named(extractor.extract(text, ANCHOR))
    assert "유니콘" not in types and types.get("컬리") == "ORG", types
    # terms of today's IT news that the 2014-2016 training text never saw (common_terms.txt)
    text = "엔비디아는 GPU 공급을 늘리고 LLM 서비스를 강화한다. NFT 시장과 CBDC 실험에도 나선다."
    types = named(extractor.extract(text, ANCHOR))
    assert not {"GPU", "LLM", "NFT", "CBDC"} & set(types) and types.get("엔비디아") == "ORG", types


def document(lines: list[str]) -> list[dict]:
    outputs = list(entities_jsonl(lines, published_at=ANCHOR, document=True))
    assert len(outputs) == 1  # the whole input is one document
    return json.loads(outputs[0])["entities"]


def test_document_mode_resolves_short_references_across_lines() -> None:
    lines = [
        "손정의 소프트뱅크 회장이 13일 서울에서 문재인 대통령을 만났다.",
        "문 대통령은 인공지능 인재 양성을 당부했고, 손 회장은 투자 확대를 약속했다.",
        "이 자리에는 이재웅 쏘카 대표도 함께했다. 이 대표는 규제 완화를 요청했다.",
    ]
    entities = document(lines)
    text = "\n".join(lines)
    for entity in entities:  # offsets count from the start of the whole input
        assert text[entity["start"] : entity["end"]] == entity["text"]
    short = {e["text"]: e["canonical"] for e in entities if e["type"] == "PERSON" and len(e["text"]) == 1}
    assert short == {"문": "문재인", "손": "손정의", "이": "이재웅"}


def test_per_line_mode_keeps_one_output_per_line() -> None:
    lines = ["손정의 회장이 방한했다.", "손 회장은 투자를 약속했다."]
    outputs = [json.loads(line)["entities"] for line in entities_jsonl(lines, published_at=ANCHOR)]
    assert len(outputs) == 2
    # Line by line, the second line has no full name to resolve 손 to.
    assert all(e["canonical"] != "손정의" for e in outputs[1] if e["text"] == "손")


def test_unresolved_short_reference_is_a_mention_but_no_person(extractor: EntityExtractor) -> None:
    mentions = extractor.extract("윤 대표는 이날 신규 서비스 출시 일정을 공개했다.", ANCHOR)
    reference = [m for m in mentions if m.surface == "윤"]
    assert reference and reference[0].attrs.get("unresolved") == "true"
    assert reference[0].canonical == "윤"


def test_a_surname_read_as_korea_before_a_title_is_the_person_named_before(extractor: EntityExtractor) -> None:
    # the tagger can read 한 of `한 총리` as Korea (KLUE's 한미 is an organisation, 한일 places); after a full
    # name with that surname it is the person, resolved as `문 대통령` is
    text = "한덕수 국무총리는 반도체 지원을 약속했다. 야당은 한 총리 해임을 요구했고 한 대표는 말을 아꼈다."
    tokens = extractor.kiwi.tokenize(text)
    person = (0, 3, "PS")
    premier = (text.index("한 총리"), text.index("한 총리") + 1, "OG")
    leader = (text.index("한 대표"), text.index("한 대표") + 1, "LC")
    mentions = build_mentions(text, tokens, [person, premier, leader], None, extractor.gazetteer)
    people = [(m.surface, m.type, m.canonical, m.attrs.get("title")) for m in mentions if m.type != "DATE"]
    assert people == [
        ("한덕수", "PERSON", "한덕수", "국무총리"),
        ("한", "PERSON", "한덕수", "국무총리"),  # 총리 is that post, in full
        ("한", "PERSON", "한덕수", "대표"),
    ], people
    # without a full name with that surname before it, 한 stays as tagged (it is also Korea: `한·미 정상`)
    text = "야당은 한 총리 해임을 요구했다."
    tokens = extractor.kiwi.tokenize(text)
    premier = (text.index("한"), text.index("한") + 1, "OG")
    mentions = build_mentions(text, tokens, [premier], None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("한", "ORG")], mentions


def test_todays_industry_terms_are_not_names(extractor: EntityExtractor) -> None:
    # Kiwi guesses these proper nouns (and reads 소부장, materials-parts-equipment, as 소 + the title 부장);
    # as listed everyday terms they are common nouns, and no person, place or organisation
    text = (
        "정부는 시스템반도체와 소부장 기업을 함께 키운다. 국내 양자암호 통신 시장과 엣지용 NPU 수요가 늘자 "
        "미국 빅테크도 소버린 AI 사업에 뛰어들었고, 송전선로 확충이 과제로 꼽힌다."
    )
    found = named(extractor.extract(text, ANCHOR))
    terms = {
        "시스템반도체",
        "소부장",
        "소",
        "양자암호",
        "엣지용",
        "엣지용 NPU",
        "빅테크",
        "미국 빅테크",
        "소버린",
        "송전",
    }
    assert not terms & set(found), found
    assert found.get("미국") == "LOC", found


def test_a_common_word_that_starts_with_a_surname_is_no_person(extractor: EntityExtractor) -> None:
    # 소모 (consumption), 부모 (parents): Kiwi's common nouns, not the anonymised 소모/부모 씨
    text = "새 칩은 처리 속도를 30% 높였고 전력 소모는 줄였다. 부모 세대의 추모 행사에는 이모(52)씨도 왔다."
    tokens = extractor.kiwi.tokenize(text)
    spans = [(text.index(word), text.index(word) + 1, "PS") for word in ("소모", "부모", "추모", "이모")]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer)
    assert [(m.surface, m.start) for m in mentions if m.type == "PERSON"] == [("이", text.index("이모"))], mentions


def test_cloud_companies_in_a_list_are_organisations(extractor: EntityExtractor) -> None:
    text = (
        "공공 클라우드 사업에는 네이버클라우드·KT클라우드·NHN클라우드가 참여했고"
        " 삼성SDS와 카카오클라우드도 검토 중이다."
    )
    found = named(extractor.extract(text, ANCHOR))
    companies = ("네이버클라우드", "KT클라우드", "NHN클라우드", "삼성SDS", "카카오클라우드")
    assert {name: found.get(name) for name in companies} == dict.fromkeys(companies, "ORG"), found
    # a company name Kiwi split before a listed term, read as a person by the tagger, is one company
    text2 = "권하린 도담엣지 대표는 엣지용 NPU 생산을 늘린다. 도담엣지는 대전에 공장을 짓는다."
    found2 = named(extractor.extract(text2, ANCHOR))
    assert found2 == {"권하린": "PERSON", "도담엣지": "ORG", "대전": "LOC"}, found2
    # a listed company the tagger typed a person is an organisation
    tokens = extractor.kiwi.tokenize(text)
    start = text.index("네이버클라우드")
    mentions = build_mentions(text, tokens, [(start, start + 7, "PS")], None, extractor.gazetteer)
    assert ("네이버클라우드", "ORG") in [(m.surface, m.type) for m in mentions], mentions


def test_a_word_ending_like_an_investment_firm_is_an_organisation(extractor: EntityExtractor) -> None:
    text = "물류 스타트업 짐캐리는 한빛벤처투자를 리드로 도담인베스트먼트와 소라캐피탈이 참여한 투자를 받았다."
    found = named(extractor.extract(text, ANCHOR))
    firms = ("한빛벤처투자", "도담인베스트먼트", "소라캐피탈")
    assert {name: found.get(name) for name in firms} == dict.fromkeys(firms, "ORG"), found
    # the ending alone is no name, and a mention inside the word gives way to the whole firm
    assert "파트너스" not in named(extractor.extract("그는 파트너스 제도를 소개했다.", ANCHOR))
    tokens = extractor.kiwi.tokenize(text)
    start = text.index("한빛")
    mentions = build_mentions(text, tokens, [(start, start + 2, "LC")], None, extractor.gazetteer)
    assert ("한빛벤처투자", "ORG") in [(m.surface, m.type) for m in mentions]
    assert ("한빛", "LOC") not in [(m.surface, m.type) for m in mentions]


def test_a_word_ending_like_a_corporation_or_a_biotech_is_an_organisation(extractor: EntityExtractor) -> None:
    text = "에이비엘바이오와 하늘빛테라퓨틱스, 솔담코퍼레이션이 레드바이오 투자를 받았다."
    found = named(extractor.extract(text, ANCHOR))
    firms = ("에이비엘바이오", "하늘빛테라퓨틱스", "솔담코퍼레이션")
    assert {name: found.get(name) for name in firms} == dict.fromkeys(firms, "ORG"), found
    assert "레드바이오" not in found  # the industry, an everyday term


def test_a_name_kiwi_cut_before_its_last_syllable_is_whole(extractor: EntityExtractor) -> None:
    # Kiwi reads 윤서연 as 윤서 + 연 (a determiner): the person is the word
    found = named(extractor.extract("윤서연 핀포인트 대표는 대표직에서 물러난다.", ANCHOR))
    assert found.get("윤서연") == "PERSON" and "윤서" not in found, found
    tokens = extractor.kiwi.tokenize("김철씨는 출석했다.")
    mentions = build_mentions("김철씨는 출석했다.", tokens, [(0, 2, "PS")], None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("김철", "PERSON")]  # 씨 is no part of a name


def test_the_word_after_a_kind_of_company_is_a_company(extractor: EntityExtractor) -> None:
    # new names the tagger reads as people, or takes in with their kind
    found = named(extractor.extract("강다은 대표가 모빌리티 스타트업 라이드온의 대표이사로 취임했다.", ANCHOR))
    assert found == {"강다은": "PERSON", "라이드온": "ORG"}, found
    found = named(extractor.extract("게임사 드림픽셀 창업자 위성민 의장이 은퇴했다.", ANCHOR))
    assert found == {"드림픽셀": "ORG", "위성민": "PERSON"}, found
    # a title, a count or a person after the kind stays what it is
    assert named(extractor.extract("스타트업 대표 김철수 씨가 말했다.", ANCHOR)) == {"김철수": "PERSON"}
    assert named(extractor.extract("국내 기업 5곳에 투자했다.", ANCHOR)) == {}


def test_current_and_former_before_a_post_are_no_surnames() -> None:
    lines = [
        "김도윤 전 장관과 전서연 의원이 토론회에 나왔다.",
        "김 전 장관은 규제 완화를 말했고, 전 의원은 반대했다. 박지후 현 대표도 참석했다.",
    ]
    people = [(e["text"], e["canonical"]) for e in document(lines) if e["type"] == "PERSON"]
    assert ("전", "전서연") in people and people.count(("전", "전서연")) == 1, people
    assert ("김", "김도윤") in people and not any(text == "현" for text, _ in people), people


def test_english_text_gets_no_names_from_the_korean_tagger(extractor: EntityExtractor) -> None:
    english = (
        "SEOUL, March 14 (Yonhap) -- N. Korea criticised the joint drills of South Korea and the United States"
        " on Thursday, and Samsung Electronics said its chip sales rose 20 percent."
    )
    assert [m for m in extractor.extract(english, ANCHOR) if m.type in ("PERSON", "ORG", "LOC")] == []
    # Korean text quoting English names is Korean text
    korean = "엔비디아 CEO Jensen Huang은 GTC 2026에서 Blackwell Ultra 출하 일정을 밝혔고 삼성전자는 HBM 공급을 늘린다."
    assert named(extractor.extract(korean, ANCHOR)).get("삼성전자") == "ORG"


def _article(number: int, body: str) -> CleanArticle:
    url = f"https://it.chosun.com/news/articleView.html?idxno={number}"
    return CleanArticle(
        article_id=article_id(url),
        url=url,
        source="itchosun",
        title=f"기사 {number}",
        body=body,
        published_at="2024-03-14T09:00:00+09:00",
        authors=[],
        images=[],
        content_hash=f"hash{number}",
    )


def test_warehouse_keeps_one_type_per_name_and_no_self_pairs(tmp_path) -> None:
    bodies = [
        "누리클라우드와 판교전자가 손잡았다. 윤 대표가 발표했다.",
        "누리클라우드와 판교전자가 또 손잡았다.",
        "누리클라우드는 판교전자와 협력한다.",
    ]
    articles = [_article(number, body) for number, body in enumerate(bodies, 1)]
    mentions = [
        # The tagger called 누리클라우드 a person once and an organisation twice.
        [
            Mention(0, 6, "누리클라우드", "PERSON", "누리클라우드"),
            Mention(8, 12, "판교전자", "ORG", "판교전자"),
            Mention(20, 21, "윤", "PERSON", "윤", attrs={"title": "대표", "unresolved": "true"}),
        ],
        [Mention(0, 6, "누리클라우드", "ORG", "누리클라우드"), Mention(8, 12, "판교전자", "ORG", "판교전자")],
        [Mention(0, 6, "누리클라우드", "ORG", "누리클라우드"), Mention(8, 12, "판교전자", "ORG", "판교전자")],
    ]
    with Warehouse.open(tmp_path / "news.duckdb") as store:
        store.load_batch("run-1", articles, mentions, now=NOW)
        # The reference is kept as a mention, but names no entity.
        assert store.scalar("SELECT count(*) FROM mentions WHERE surface = '윤'") == 1
        assert store.scalar("SELECT count(*) FROM entities WHERE name = '윤'") == 0
        assert store.scalar("SELECT count(*) FROM mention_facts WHERE surface = '윤'") == 0
        # Majority type, with the votes recorded.
        row = store.query("SELECT type, type_mentions, total_mentions FROM entity_types WHERE name = '누리클라우드'")
        assert row.rows == [("ORG", 2, 3)]
        assert store.scalar("SELECT count(DISTINCT type) FROM mention_facts WHERE name = '누리클라우드'") == 1
        assert store.scalar("SELECT count(DISTINCT entity_id) FROM entity_daily WHERE name = '누리클라우드'") == 1
        pairs = store.query("SELECT name_a, name_b, articles FROM entity_cooccurrence").rows
        assert pairs == [("누리클라우드", "판교전자", 3)]
        assert store.scalar("SELECT count(*) FROM entity_cooccurrence WHERE name_a = name_b") == 0


def test_numpy_decoding_matches_crfsuite(extractor: EntityExtractor) -> None:
    """The extractor's own Viterbi over cached weight vectors gives crfsuite's labels for the same model."""
    import pycrfsuite

    from transforms.entities.features import split_compounds

    texts = [
        "삼성전자와 SK하이닉스는 14일 미국 텍사스에서 인공지능 반도체 협력을 발표했다.",
        "카카오 정신아 대표는 판교 사옥에서 열린 간담회에서 신규 서비스를 소개했다.",
        "중소벤처기업부(중기부)는 한국벤처투자와 함께 2000억원 규모 펀드를 만든다.",
        "",
    ]
    tagger = pycrfsuite.Tagger()
    tagger.open(str(extractor.model_path))
    token_lists = [split_compounds(tokens) for tokens in extractor.kiwi.tokenize(texts)]
    expected = [
        tagger.tag(extractor.features.build(tokens, text)) for tokens, text in zip(token_lists, texts, strict=True)
    ]
    batch = [
        extractor.features.emissions(tokens, text, extractor.weights)
        for tokens, text in zip(token_lists, texts, strict=True)
    ]
    assert extractor.weights.viterbi_many(batch) == expected
    assert [extractor.weights.viterbi(emissions) for emissions in batch] == expected


def test_a_name_tagged_once_is_that_entity_wherever_it_stands_alone(extractor: EntityExtractor) -> None:
    text = "별다솜은 신제품을 냈다. 한도윤 별다솜 대표는 별다솜커머스와 다르다고 말했다."
    second = text.index("별다솜", 5)
    spans = [(text.index("한도윤"), text.index("한도윤") + 3, "PS"), (second, second + 3, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    found = [(m.start, m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")]
    # the lead sentence's subject is the company; inside a longer word (별다솜커머스) it is not
    assert found == [(0, "별다솜", "ORG"), (text.index("한도윤"), "한도윤", "PERSON"), (second, "별다솜", "ORG")]
    # a name typed two ways in the text is carried nowhere
    spans = [(second, second + 3, "OG"), (text.index("별다솜커머스"), text.index("별다솜커머스") + 3, "LC")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert 0 not in [m.start for m in mentions]


def test_a_word_ending_like_a_tech_company_is_one_when_its_stem_is_a_name(extractor: EntityExtractor) -> None:
    found = named(extractor.extract("레브리온AI는 추론용 칩을 공개했고 도르미스랩은 새 챗봇을 냈다.", ANCHOR))
    assert {found.get("레브리온AI"), found.get("도르미스랩")} == {"ORG"}, found
    # a common word before the ending is no company
    assert named(extractor.extract("생성형AI를 도입한 기업과 신재생에너지 업체가 늘었다.", ANCHOR)) == {}
    # Kiwi misreads 벤처스 before 파트너 (벤처 + a verb 스); the firm is still the word
    found = named(extractor.extract("한도윤 소라벤처스 파트너는 초기 투자를 늘린다고 말했다.", ANCHOR))
    assert found == {"한도윤": "PERSON", "소라벤처스": "ORG"}, found


def test_a_surname_and_title_tagged_as_one_person_resolves_like_the_surname(extractor: EntityExtractor) -> None:
    text = "한도윤 장관은 강조했다. 한 장관은 대표들과 만났다. 권 장관도 왔다."
    spans = [(0, 3, "PS"), (text.index("한 장관"), text.index("한 장관") + 4, "PS")]
    spans.append((text.index("권 장관"), text.index("권 장관") + 4, "PS"))
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    people = [(m.surface, m.canonical, m.attrs.get("title"), m.attrs.get("unresolved")) for m in mentions]
    # KLUE's span is kept; the reference names the full name, or no one (never an entity of its own)
    assert people == [
        ("한도윤", "한도윤", "장관", None),
        ("한 장관", "한도윤", "장관", None),
        ("권 장관", "권 장관", "장관", "true"),
    ]


def test_a_person_listed_beside_an_organisation_is_one(extractor: EntityExtractor) -> None:
    text = "한빛벤처투자와 프라이머가 공동으로 투자했다."
    start = text.index("프라이머")
    spans = [(0, 6, "OG"), (start, start + 4, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("한빛벤처투자", "ORG"), ("프라이머", "ORG")]
    # a Korean full name stays a person
    text = "한빛벤처투자와 김도윤이 함께 투자했다."
    spans = [(0, 6, "OG"), (8, 11, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("한빛벤처투자", "ORG"), ("김도윤", "PERSON")]


def test_a_firm_kind_abbreviation_after_an_organisation_is_part_of_it(extractor: EntityExtractor) -> None:
    text = "이번 투자는 KMM PE와 한빛 PEF가 주도했다. VCR VC-2 모델도 나왔다."
    spans = [
        (7, 10, "OG"),
        (text.index("한빛"), text.index("한빛") + 2, "OG"),
        (text.index("VCR"), text.index("VCR") + 3, "OG"),
    ]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "ORG"] == ["KMM PE", "한빛 PEF", "VCR"]


def test_a_committee_abbreviation_shares_its_last_syllable_with_the_chairs_title(extractor: EntityExtractor) -> None:
    text = "한기정 공정위원장은 조사를 지시했다."
    spans = [(0, 3, "PS"), (4, 7, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    person = next(m for m in mentions if m.type == "PERSON")
    assert (person.attrs.get("title"), person.attrs.get("org")) == ("위원장", "공정거래위원회")


def test_an_unknown_name_between_a_full_name_and_a_post_is_the_affiliation(extractor: EntityExtractor) -> None:
    text = "권도하 레브리온 대표는 사임했다. 이지은 CFO가 부사장으로 승진했다. 김태윤 신임 대표는 취임했다."
    spans = [(0, 3, "PS"), (text.index("이지은"), text.index("이지은") + 3, "PS")]
    spans.append((text.index("김태윤"), text.index("김태윤") + 3, "PS"))
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "ORG"] == ["레브리온"]
    assert next(m for m in mentions if m.surface == "권도하").attrs.get("org") == "레브리온"


def test_a_quoted_name_after_a_kind_of_product_is_no_person(extractor: EntityExtractor) -> None:
    text = "한빛소프트는 AI 에이전트 ‘도라(Dora)’를 출시했다. 도라는 일정을 짠다. 대표 김도라 씨가 말했다."
    first, second = text.index("도라"), text.index("도라는")
    spans = [
        (first, first + 2, "PS"),
        (second, second + 2, "PS"),
        (text.index("김도라"), text.index("김도라") + 3, "PS"),
    ]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    # the product and its later mention go; a person of another name stays
    assert [m.surface for m in mentions if m.type == "PERSON"] == ["김도라"]


def test_a_place_running_into_a_companys_name_is_the_place_then_the_company(extractor: EntityExtractor) -> None:
    text = "이 회사는 경기도 성남시 분당구 네이버 사옥에 입주했고 시사회는 대학로 CGV에서 열렸다."
    start = text.index("경기도")
    venue = text.index("대학로")
    spans = [(start, text.index(" 사옥"), "LC"), (venue, venue + 7, "LC")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("LOC", "ORG")] == [
        ("경기도 성남시 분당구", "LOC"),
        ("네이버", "ORG"),
        ("대학로 CGV", "LOC"),  # a chain's branch named with its place is a place
    ]


def test_an_address_before_a_body_is_the_place_then_the_organisation(extractor: EntityExtractor) -> None:
    text = "미국 스탠퍼드대 연구진은 부산 해운대구 한빛고에서 만났고, 대회는 부산 해운대구 우동 한빛고에서 열렸다."
    first = text.index("미국")
    school = text.index("부산")
    street = text.index("부산", school + 1)
    spans = [
        (first, text.index(" 연구진"), "LC"),
        (school, text.index("에서", school), "LC"),
        (street, text.index("에서", street), "LC"),
    ]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("LOC", "ORG")] == [
        ("미국", "LOC"),
        ("스탠퍼드대", "ORG"),
        ("부산 해운대구", "LOC"),
        ("한빛고", "ORG"),
        ("부산 해운대구 우동 한빛고", "LOC"),  # a street address is where something happened: one place
    ]


def test_a_name_run_into_a_lengthened_company_ends_before_it(extractor: EntityExtractor) -> None:
    # Kiwi reads 오도+윤 and 한결 as an adverb: the tagger's `윤 한결` person and `소프트` firm both grow to
    # their words' starts and would overlap
    text = "오도윤 한결소프트 본부장은 신제품을 발표했다."
    person, firm = text.index("윤"), text.index("소프트")
    spans = [(person, firm, "PS"), (firm, firm + 3, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [
        ("오도윤", "PERSON"),
        ("한결소프트", "ORG"),
    ]


def test_a_written_out_c_level_post_splits_the_person_from_the_company(extractor: EntityExtractor) -> None:
    text = "권시우 여울게임즈 최고기술책임자(CTO)는 2일 간담회에서 로드맵을 발표했다."
    spans = [(0, text.index(" 최고"), "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    people = [m for m in mentions if m.type == "PERSON"]
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [
        ("권시우", "PERSON"),
        ("여울게임즈", "ORG"),
    ]
    assert people[0].attrs == {"title": "최고기술책임자", "org": "여울게임즈"}


def test_a_company_tagged_a_person_once_takes_the_type_its_other_mentions_have(extractor: EntityExtractor) -> None:
    text = "푸른칩스가 신제품을 냈다. 푸른칩스는 매출 80억원을 기록했다. 푸른칩스의 칩은 빠르다."
    starts = [index for index in range(len(text)) if text.startswith("푸른칩스", index)]
    spans = [(starts[0], starts[0] + 4, "OG"), (starts[1], starts[1] + 4, "PS"), (starts[2], starts[2] + 4, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [("푸른칩스", "ORG")] * 3


def test_a_name_tagged_short_inside_a_word_the_text_names_whole_gives_way(extractor: EntityExtractor) -> None:
    text = "미르반도체가 칩을 공개했다. 라온비전은 미르반도체의 칩을 쓴다."
    second = text.index("미르반도체의")
    spans = [(0, 5, "OG"), (text.index("라온비전"), text.index("라온비전") + 4, "OG"), (second, second + 2, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "ORG"] == ["미르반도체", "라온비전", "미르반도체"]


def test_a_full_name_tagged_a_place_before_a_company_and_a_post_is_the_person(extractor: EntityExtractor) -> None:
    text = "조지안 누리클라우드 대표는 신제품을 소개했다. 임윤서 미르반도체 연구소장도 참석했다."
    person, firm = text.index("조지안"), text.index("누리클라우드")
    second = text.index("임윤서")
    spans = [(person, person + 3, "LC"), (firm, firm + 6, "PS"), (second, second + 6, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG", "LOC")] == [
        ("조지안", "PERSON"),
        ("누리클라우드", "ORG"),
        ("임윤서", "PERSON"),
        ("미르반도체", "ORG"),  # `임윤서 미르` tagged: the organisation is the whole word before the post
    ]


def test_a_given_name_after_its_surname_is_the_full_name_and_a_post_is_no_name(extractor: EntityExtractor) -> None:
    text = "한하린 최고기술책임자(CTO)는 10일 간담회에서 로드맵을 발표했다."
    given, post = text.index("하린"), text.index("최고")
    spans = [(given, given + 2, "PS"), (post, post + 7, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [("한하린", "PERSON")]


def test_a_foreign_family_name_alone_is_the_person(extractor: EntityExtractor) -> None:
    text = "샘 올트먼 CEO는 협력을 강화한다고 밝혔다. 올트먼은 서울에서 열린 간담회에 참석했다."
    later = text.index("올트먼은")
    spans = [(0, 5, "PS"), (later, later + 3, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    people = [(m.surface, m.canonical) for m in mentions if m.type == "PERSON"]
    # the tagger's organisation neither splits the full name nor stays an organisation
    assert people == [("샘 올트먼", "샘 올트먼"), ("올트먼", "샘 올트먼")]
    assert not [m for m in mentions if m.type == "ORG"]


def test_an_organisation_possessing_a_titled_person_is_the_persons(extractor: EntityExtractor) -> None:
    text = "오픈AI의 샘 올트먼 CEO는 방한했다. 삼성의 이재용은 만나지 않았다."
    firm, person = text.index("오픈AI"), text.index("샘")
    other_firm, other = text.index("삼성"), text.index("이재용")
    spans = [
        (firm, firm + 4, "OG"),
        (person, person + 5, "PS"),
        (other_firm, other_firm + 2, "OG"),
        (other, other + 3, "PS"),
    ]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    people = {m.surface: m.attrs for m in mentions if m.type == "PERSON"}
    assert people["샘 올트먼"] == {"title": "CEO", "org": "오픈AI"}
    assert "org" not in people["이재용"]  # no title: the possessor may be anything


def test_a_reference_finds_the_full_name_the_tagger_missed(extractor: EntityExtractor) -> None:
    text = "카카오는 정신아 대표 내정자를 신임 대표로 선임했다. 정 내정자는 카카오벤처스 대표를 지냈다."
    reference = text.index("정 내정자")
    spans = [(reference, reference + 1, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.canonical) for m in mentions if m.type == "PERSON"] == [
        ("정신아", "정신아"),
        ("정", "정신아"),
    ]


def test_a_reference_finds_the_missed_full_name_before_its_organisation_and_post(extractor: EntityExtractor) -> None:
    text = "한성숙 중소벤처기업부 장관은 창업 예산을 늘렸다. 한 장관은 부산을 찾았다."
    ministry = (text.index("중소"), text.index(" 장관은"), "OG")
    reference = text.index("한 장관")
    spans = [ministry, (reference, reference + 1, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    people = [(m.surface, m.canonical, m.attrs.get("org")) for m in mentions if m.type == "PERSON"]
    assert people == [("한성숙", "한성숙", "중소벤처기업부"), ("한", "한성숙", "중소벤처기업부")]


def test_a_division_written_onto_a_post_is_part_of_the_title(extractor: EntityExtractor) -> None:
    text = "경계현 삼성전자 DS부문장(사장)은 현지에서 기자들과 만났다."
    spans = [(0, 3, "PS"), (4, 8, "OG")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert mentions[0].attrs == {"org": "삼성전자", "title": "DS부문장"}


def test_a_company_after_its_kind_keeps_a_syllable_no_particle_could_be(extractor: EntityExtractor) -> None:
    # 이 follows only a final consonant: after 웨 it is the name's; after 닥 the subject particle
    text = "핀테크 기업 캐시웨이 신임 대표에 선우진 전무가 발탁됐다. 헬스케어 스타트업 펫닥이 투자를 받았다."
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), [], None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "ORG"] == ["캐시웨이", "펫닥"]


def test_what_has_a_founder_is_an_organisation_and_the_founders_company(extractor: EntityExtractor) -> None:
    text = "딥칩스 창업자인 조민석 대표가 대표직에서 물러났다."
    spans = [(0, 3, "PS"), (text.index("조민석"), text.index("조민석") + 3, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [
        ("딥칩스", "ORG"),
        ("조민석", "PERSON"),
    ]
    assert mentions[1].attrs == {"title": "대표", "org": "딥칩스"}


def test_a_name_with_a_board_is_an_organisation(extractor: EntityExtractor) -> None:
    text = "그린테크 이사회는 박소영 CFO를 대표이사로 선임했다."
    spans = [(text.index("박소영"), text.index("박소영") + 3, "PS")]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG")] == [
        ("그린테크", "ORG"),
        ("박소영", "PERSON"),
    ]


def test_a_company_after_its_legal_form_and_an_abbreviation_after_its_institute(extractor: EntityExtractor) -> None:
    text = "입주 기업에는 (주)세온테크와 경안레저산업(주) 남부터미널이 있다. 한국표준과학연구원(표준연)도 참여했다."
    firm, terminal = text.index("세온테크"), text.index("남부터미널")
    institute, short = text.index("한국표준"), text.index("표준연)")
    spans = [
        (firm, firm + 4, "LC"),
        (terminal, terminal + 5, "LC"),
        (institute, institute + 9, "OG"),
        (short, short + 3, "PS"),
    ]
    mentions = build_mentions(text, extractor.kiwi.tokenize(text), spans, None, extractor.gazetteer)
    assert [(m.surface, m.type, m.canonical) for m in mentions if m.type in ("PERSON", "ORG", "LOC")] == [
        ("세온테크", "ORG", "세온테크"),
        ("남부터미널", "LOC", "남부터미널"),  # the form after a name is that name's
        ("한국표준과학연구원", "ORG", "한국표준과학연구원"),
        ("표준연", "ORG", "한국표준과학연구원"),
    ]


def test_a_listed_everyday_term_is_no_name_even_where_a_name_list_has_it(extractor: EntityExtractor) -> None:
    text = "네이버클라우드는 현지 소버린 AI 시장 공략에 나선다."
    start = text.index("소버린")
    mentions = build_mentions(
        text, extractor.kiwi.tokenize(text), [(start, start + 3, "PS")], None, extractor.gazetteer
    )
    assert [m.surface for m in mentions if m.type == "PERSON"] == []


def test_an_abbreviation_the_article_defined_stays_the_organisation(extractor: EntityExtractor) -> None:
    text = "한국표준과학연구원(표준연)은 양자컴퓨터를 공개했다. 연구자는 온라인으로 신청한다. 표준연은 대전에 있다."
    later = [m for m in extractor.extract(text, ANCHOR) if m.surface == "표준연"][-1]
    assert (later.type, later.canonical) == ("ORG", "한국표준과학연구원"), later


def test_a_unit_written_onto_its_heads_post_is_part_of_the_title(extractor: EntityExtractor) -> None:
    text = "이태성 KT 네트워크부문장(부사장)은 말했다. 임소연 당근 광고사업실장은 새 기능을 소개했다."
    people = [m for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"]
    assert [(m.surface, m.attrs.get("org"), m.attrs.get("title")) for m in people] == [
        ("이태성", "KT", "네트워크부문장"),
        ("임소연", "당근", "광고사업실장"),
    ], people
    # a name written onto the post stays the person
    people = [m for m in extractor.extract("홍길동팀장은 회의에 참석했다.", ANCHOR) if m.type == "PERSON"]
    assert [(m.surface, m.attrs.get("title")) for m in people] == [("홍길동", "팀장")], people


def test_a_kind_of_company_written_as_one_word_describes_the_next(extractor: EntityExtractor) -> None:
    text = "시장조사업체 가트너는 외국계 금융회사 뉴욕지사 소속 직원을 인용했다."
    tokens = extractor.kiwi.tokenize(text)
    misread = (text.index("가트너"), text.index("는 외"), "PS")  # the tagger's person, as in a demo article
    place = (text.index("뉴욕"), text.index("지사"), "LC")
    mentions = build_mentions(text, tokens, [misread, place], None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type in ("PERSON", "ORG", "LOC")] == [
        ("가트너", "ORG"),
        ("뉴욕", "LOC"),  # a known place's office is no company
    ], mentions


def test_a_products_name_is_no_person_wherever_it_stands(extractor: EntityExtractor) -> None:
    text = (
        "넥슨과 신작 ‘에코 오브 아크(Echo of Arc)’의 배급 계약을 맺었다. ‘에코 오브 아크’는 액션 게임이다."
        " 연구원은 대규모언어모델(LLM) ‘아토-3B’를 공개했다. 아토-3B는 매개변수 30억 개로 이뤄졌다."
        " 모아-X1은 스마트폰에서 돈다."
    )
    tokens = extractor.kiwi.tokenize(text)
    misread = [
        (text.index(word, start), text.index(word, start) + len(word), "PS")
        for word, start in [
            ("에코 오브 아크", 0),
            ("에코", 40),
            ("아토", 0),
            ("아토", text.index("아토-3B는")),
            ("모아", 0),
        ]
    ]
    mentions = build_mentions(text, tokens, misread, None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "PERSON"] == [], mentions


def test_an_organisation_named_by_its_kind_is_carried_over_its_first_word(extractor: EntityExtractor) -> None:
    text = "LG AI연구원이 새 모델을 공개했다. 배수현 LG AI연구원 언어AI랩장은 설명회에서 말했다."
    tokens = extractor.kiwi.tokenize(text)
    second = text.index("LG", 5)
    spans = [(0, text.index("이 새"), "OG"), (second, second + 2, "OG"), (text.index("배"), text.index(" LG", 5), "PS")]
    mentions = build_mentions(text, tokens, spans, None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions if m.type != "PERSON"] == [("LG AI연구원", "ORG")] * 2, mentions
    person = next(m for m in mentions if m.type == "PERSON")
    assert person.attrs == {"org": "LG AI연구원", "title": "언어AI랩장"}, person.attrs


def test_a_list_tagged_as_one_organisation_is_each_of_its_names(extractor: EntityExtractor) -> None:
    text = "모아AI는 카카오벤처스와 DSC인베스트먼트로부터 60억원을 유치했다. 고려대학교 체육교육학과 대학원에 다닌다."
    tokens = extractor.kiwi.tokenize(text)
    investors = (text.index("카카오"), text.index("로부터"), "OG")
    school = (text.index("고려"), text.index("에 다닌"), "OG")  # 과 of 학과: no list
    mentions = build_mentions(text, tokens, [investors, school], None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "ORG"] == [
        "모아AI",  # the rules' own (a firm's ending)
        "카카오벤처스",
        "DSC인베스트먼트",
        "고려대학교 체육교육학과 대학원",
    ], mentions


def test_an_organisation_tagged_on_through_a_post_ends_before_it(extractor: EntityExtractor) -> None:
    text = "박해린 부산시 디지털경제실장은 일자리가 늘어난다고 말했다."
    tokens = extractor.kiwi.tokenize(text)
    person = (0, 3, "PS")
    city = (text.index("부산"), text.index("은 일"), "OG")
    mentions = build_mentions(text, tokens, [person, city], None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("박해린", "PERSON"), ("부산시", "ORG")], mentions
    assert mentions[0].attrs == {"org": "부산시", "title": "디지털경제실장"}, mentions[0].attrs


@pytest.mark.parametrize(
    ("text", "word", "kept"),
    [
        ("회의는 강남구청장 집무실에서 열렸다.", "강남구청장", []),  # a post alone, read as a place
        ("윤서진 대전연구개발특구본부장은 말했다.", "대전연구개발특구본부장", []),
        # the post ends the span, and a name-shaped place before a post is the person
        ("민태오 대전정보원장이 축사를 했다.", "민태오 대전정보원장", []),
        ("행사는 코엑스 국제회의장에서 열렸다.", "코엑스 국제회의장", ["코엑스 국제회의장"]),  # a hall, no post
        ("상인들은 남대문시장에 모였다.", "남대문시장", ["남대문시장"]),  # a market, no 시장 (mayor)
    ],
)
def test_a_post_with_its_institution_written_onto_it_is_no_place(
    extractor: EntityExtractor, text: str, word: str, kept: list[str]
) -> None:
    tokens = extractor.kiwi.tokenize(text)
    place = (text.index(word), text.index(word) + len(word), "LC")
    mentions = build_mentions(text, tokens, [place], None, extractor.gazetteer)
    assert [m.surface for m in mentions if m.type == "LOC"] == kept, mentions


@pytest.mark.parametrize(
    ("text", "name", "org", "title"),
    [
        ("박형진 부산시장과 최윤서 대표가 협약을 맺었다.", "박형진", "부산시", "시장"),
        ("윤채원 경기도지사는 입주 기업을 만났다.", "윤채원", "경기도", "도지사"),
        ("정태일 방송통신위원회(방통위) 위원장이 말했다.", "정태일", "방송통신위원회", "위원장"),
        ("정은채 카카오 AI서비스 성과리더는 행사에서 말했다.", "정은채", "카카오", "성과리더"),
        ("오현석 SK텔레콤 인프라기술담당 부사장은 말했다.", "오현석", "SK텔레콤", "부사장"),
        ("이승원 SK하이닉스 미주법인장은 채용을 늘린다고 말했다.", "이승원", "SK하이닉스", "미주법인장"),
        # the head of an institution with its name written onto the post
        ("이도윤 한국인터넷진흥원장은 해킹 대응을 강조했다.", "이도윤", "한국인터넷진흥원", "원장"),
        ("서하람 개인정보보호위원장이 과징금을 발표했다.", "서하람", "개인정보보호위원회", "위원장"),
        ("문서진 서울지방국세청장은 조사를 지시했다.", "문서진", "서울지방국세청", "청장"),
        ("김명호 철도노조위원장은 파업을 예고했다.", "김명호", "철도노조", "위원장"),  # a union's chair
        ("한유진 KBS 보도국장은 사과했다.", "한유진", "KBS", "보도국장"),  # a unit's head: the whole word
        ("김지한 LG AI연구원장은 새 모델을 공개했다.", "김지한", "LG AI연구원", "원장"),  # the company's institute
        ("오세린 경기도 경제부지사는 협약식에서 말했다.", "오세린", "경기도", "경제부지사"),  # a province's post
        ("문경태 SK하이닉스 패키지개발 담당 부사장은 말했다.", "문경태", "SK하이닉스", "부사장"),  # in charge of, rank
        ("김나래 네이버 커머스사업부문 리더는 말했다.", "김나래", "네이버", "리더"),  # 네이버: a listed company
        ("박도하 넥슨게임즈 총괄 프로듀서는 말했다.", "박도하", "넥슨게임즈", "프로듀서"),
        ("업스테이지 한도윤 대표는 새 모델을 공개했다.", "한도윤", "업스테이지", "대표"),  # a listed startup
        ("회의에는 강서윤 과기정통부 제2차관이 참석했다.", "강서윤", "과학기술정보통신부", "제2차관"),  # numbered post
        ("한국전자통신연구원(ETRI) 방하늘 원장은 말했다.", "방하늘", "한국전자통신연구원", "원장"),  # after (ETRI)
    ],
)
def test_a_persons_post_is_read_through_what_is_written_around_it(
    extractor: EntityExtractor, text: str, name: str, org: str, title: str
) -> None:
    person = next(m for m in extractor.extract(text, ANCHOR) if m.surface == name)
    assert (person.attrs.get("org"), person.attrs.get("title")) == (org, title), person.attrs


def test_a_surname_kiwi_split_from_its_name_before_a_post_is_the_full_name(extractor: EntityExtractor) -> None:
    # Kiwi reads 최가온 as 최 + 가 + 온 (a subject particle and a verb): the tagger finds only the surname
    text = "최가온 금융보안원장은 전환 도구를 배포한다. 최 원장은 시범 사례를 공유하겠다고 말했다."
    people = [m for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"]
    assert [(m.surface, m.canonical) for m in people] == [("최가온", "최가온"), ("최", "최가온")], people
    assert people[0].attrs == {"org": "금융보안원", "title": "원장"}, people[0].attrs
    # a form of address written onto the surname is no name: `김씨와 검사`
    text = "재판부는 김씨와 검사의 항소를 기각했다."
    assert "김씨와" not in [m.surface for m in extractor.extract(text, ANCHOR)]


def test_a_title_with_a_noun_written_on_is_no_title() -> None:
    titles = load_gazetteer().titles
    assert title_after("리더는", 0, titles) == ("리더", 2)
    assert title_after("리더십이", 0, titles) is None  # leadership
    assert title_after("파트너십을", 0, titles) is None


@pytest.mark.parametrize("text", ["이케다 세이고 코치의 지도로 훈련했다.", "페루 오얀타 우말라 대통령이 참석했다."])
def test_a_foreign_name_shaped_like_a_korean_one_keeps_both_words(extractor: EntityExtractor, text: str) -> None:
    # 이케다 and 오얀타 look like a Korean surname and given name; the next word is a name, not an affiliation
    found = extractor.extract(text, ANCHOR)
    people = [m.surface for m in found if m.type == "PERSON"]
    orgs = [m.surface for m in found if m.type == "ORG"]
    assert len(people) == 1 and " " in people[0] and not orgs, (people, orgs)


@pytest.mark.parametrize("text", ["제임스 클래퍼 국장이 증언했다.", "제이슨 김 대표가 투자를 발표했다."])
def test_a_foreign_first_name_is_no_korean_name_with_an_affiliation_after_it(
    extractor: EntityExtractor, text: str
) -> None:
    # 제임스 and 제이슨 start with a surname, but 스 and 슨 write no Korean given name: one foreign name
    found = extractor.extract(text, ANCHOR)
    people = [m.surface for m in found if m.type == "PERSON"]
    orgs = [m.surface for m in found if m.type == "ORG"]
    assert len(people) == 1 and " " in people[0] and not orgs, (people, orgs)


def test_the_syllables_of_a_korean_given_name() -> None:
    for name in ("이재웅", "한세희", "최가온", "정석근", "박슬기"):
        assert shaped_like_full_name(name), name
    for name in ("제임스", "마이클", "제이슨", "장쯔이", "제시카", "조니뎁"):
        assert not shaped_like_full_name(name), name


def test_former_after_a_persons_age_is_no_surname(extractor: EntityExtractor) -> None:
    text = "검찰은 전주원(59) 전 국세청장에게 징역 4년을 구형했다."
    people = [m.surface for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"]
    assert people == ["전주원"], people


def test_a_person_tagged_with_company_and_post_is_the_person_the_company_and_a_title(
    extractor: EntityExtractor,
) -> None:
    text = "고은비 노바벤처스 심사역은 이 회사의 기술을 높이 평가했다."
    tokens = extractor.kiwi.tokenize(text)
    whole = (0, text.index("은 이"), "PS")
    mentions = build_mentions(text, tokens, [whole], None, extractor.gazetteer)
    assert [(m.surface, m.type) for m in mentions] == [("고은비", "PERSON"), ("노바벤처스", "ORG")], mentions
    assert mentions[0].attrs == {"org": "노바벤처스", "title": "심사역"}, mentions[0].attrs


def test_a_latin_abbreviation_after_a_word_abbreviates_the_whole_word(extractor: EntityExtractor) -> None:
    text = "그는 삼성SDS와 아마존웹서비스(AWS)를 거쳤다."
    tokens = extractor.kiwi.tokenize(text)
    start = text.index("아마존")
    mentions = build_mentions(text, tokens, [(start, start + 3, "OG")], None, extractor.gazetteer)
    found = [(m.surface, m.canonical) for m in mentions if m.type == "ORG"]
    assert ("아마존웹서비스", "아마존웹서비스") in found and ("AWS", "아마존웹서비스") in found, found


def test_a_short_reference_to_a_post_keeps_the_post_in_full(extractor: EntityExtractor) -> None:
    text = "유승재 크래프톤 딥러닝본부장은 신작을 소개했다. 유 본부장은 내년 출시를 예고했다."
    people = [m for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"]
    assert [(m.canonical, m.attrs.get("title")) for m in people] == [("유승재", "딥러닝본부장")] * 2, people


def test_a_multi_word_dictionary_form_is_read_as_the_text_writes_it() -> None:
    # Kiwi gives `네이버 웹툰` for the text 네이버웹툰 (its multi-word dictionary), or 네이버웹툰 (a user word),
    # depending on the user dictionary's size: the features read the form as written either way
    glued = [PieceToken("네이버 웹툰", "NNP", 0, 5), PieceToken("은", "JX", 5, 1)]
    spaced = [PieceToken("버락 오바마", "NNP", 0, 6), PieceToken("는", "JX", 6, 1)]
    assert token_columns(glued).forms == ["네이버웹툰", "은"]
    assert token_columns(spaced).forms == ["버락 오바마", "는"]


def test_a_listed_company_as_the_topic_before_a_person_with_a_post_is_that_persons(
    extractor: EntityExtractor,
) -> None:
    def org_of(text: str) -> str | None:
        people = [m for m in extractor.extract(text, ANCHOR) if m.type == "PERSON"]
        assert len(people) == 1, people
        return people[0].attrs.get("org")

    assert org_of("무신사는 조만호 총괄대표가 경영 일선에 복귀한다고 밝혔다.") == "무신사"
    assert org_of("SK하이닉스는 이준호 부사장을 사장으로 승진 발령했다.") == "SK하이닉스"
    # a public body or a paper as the topic acts on or reports someone else's people
    assert org_of("공정위는 김범수 의장을 검찰에 고발했다.") is None
    assert org_of("블룸버그는 젠슨 황 CEO가 방한한다고 보도했다.") is None


def test_a_quoted_title_after_a_kind_of_company_is_a_product(extractor: EntityExtractor) -> None:
    # `플랫폼 'XDR 코파일럿'`: the quote runs past the word, a product's name; a quoted name alone is the company
    found = named(extractor.extract("안랩이 보안관제 플랫폼 'XDR 코파일럿'을 출시했다.", ANCHOR))
    assert "XDR" not in found, found
    found = named(extractor.extract("모빌리티 스타트업 '라이드온'이 투자를 받았다.", ANCHOR))
    assert found.get("라이드온") == "ORG", found


def test_a_place_runs_on_through_a_companys_site_written_onto_it(extractor: EntityExtractor) -> None:
    text = "설명회는 서울 서초구 삼성전자 서초사옥에서 열렸다."
    places = [m.surface for m in extractor.extract(text, ANCHOR) if m.type == "LOC"]
    assert places == ["서울 서초구 삼성전자 서초사옥"], places


def test_a_founder_and_a_latin_company_before_a_person_give_the_persons_company(
    extractor: EntityExtractor,
) -> None:
    found = extractor.extract("오라클 창업자 래리 엘리슨 회장이 방한했다.", ANCHOR)
    assert [(m.surface, m.attrs.get("org")) for m in found if m.type == "PERSON"] == [("래리 엘리슨", "오라클")]
    found = extractor.extract("AMD 리사 수 CEO가 기조연설에 나섰다.", ANCHOR)
    assert [(m.surface, m.type) for m in found if m.type in ("PERSON", "ORG")] == [
        ("AMD", "ORG"),
        ("리사 수", "PERSON"),
    ], found


def test_a_name_before_the_word_model_is_a_products(extractor: EntityExtractor) -> None:
    found = named(extractor.extract("업스테이지는 솔라 모델을 공개했다.", ANCHOR))
    assert found == {"업스테이지": "ORG"}, found
    found = named(extractor.extract("광고 모델 김연아가 등장했다.", ANCHOR))
    assert found == {"김연아": "PERSON"}, found


def test_a_post_after_a_persons_age_in_parentheses_is_the_title(extractor: EntityExtractor) -> None:
    found = extractor.extract("신임 대표로 선임된 한지우(45) 대표는 서울대를 졸업했다.", ANCHOR)
    assert [(m.surface, m.attrs.get("title")) for m in found if m.type == "PERSON"] == [("한지우", "대표")]


def test_two_people_joined_by_a_middle_dot_share_the_post_and_the_organisation(extractor: EntityExtractor) -> None:
    found = extractor.extract("넥슨코리아 강대현·김정욱 공동대표는 신작을 소개했다.", ANCHOR)
    people = {m.surface: (m.attrs.get("org"), m.attrs.get("title")) for m in found if m.type == "PERSON"}
    assert people == {"강대현": ("넥슨코리아", "공동대표"), "김정욱": ("넥슨코리아", "공동대표")}, people


def test_a_co_head_after_another_of_the_same_post_heads_the_same_company(extractor: EntityExtractor) -> None:
    found = extractor.extract("권하린 솔라시스템 공동대표와 이경민 공동대표가 함께 회사를 세웠다.", ANCHOR)
    people = {m.surface: m.attrs.get("org") for m in found if m.type == "PERSON"}
    assert people == {"권하린": "솔라시스템", "이경민": "솔라시스템"}, people
    # a post that people of many companies hold (대표) is no shared one
    found = extractor.extract("김영섭 KT 대표와 이경민 대표가 만났다.", ANCHOR)
    assert {m.surface: m.attrs.get("org") for m in found if m.type == "PERSON"}["이경민"] is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("일본인 관광객이 판교의 게임 회사를 찾았다.", "일본"),
        ("이 번역 앱은 한국어와 베트남어를 지원한다.", "한국"),
        ("부산행 KTX 안에서 무료 와이파이가 끊겼다.", "부산"),
        ("중국계 투자사가 지분을 샀다.", "중국"),
    ],
)
def test_a_place_inside_a_word_for_its_people_language_or_destination_is_no_place(text: str, place: str) -> None:
    start = text.index(place)
    tagged = [Mention(start, start + len(place), place, "LOC", place)]
    assert drop_places_in_derived_words(text, tagged) == []


@pytest.mark.parametrize("text", ["북한인권 보고서가 나왔다.", "서울행정법원은 소송을 기각했다.", "서울에서 열린다."])
def test_a_place_before_a_longer_word_or_a_particle_is_kept(text: str) -> None:
    tagged = [Mention(0, 2, text[:2], "LOC", text[:2])]
    assert drop_places_in_derived_words(text, tagged) == tagged


def test_a_place_with_a_particle_after_it_stays_a_place(extractor: EntityExtractor) -> None:
    found = named(extractor.extract("네이버는 일본에서 라인을 키웠다.", ANCHOR))
    assert found.get("일본") == "LOC", found


def test_a_police_station_named_with_its_city_is_one_organisation() -> None:
    text = "서울 수서경찰서는 보이스피싱 조직을 검거했다."
    split = [Mention(0, 2, "서울", "LOC", "서울"), Mention(3, 8, "수서경찰서", "ORG", "수서경찰서")]
    joined = join_city_and_police_station(text, split, load_gazetteer())
    assert [(m.surface, m.type) for m in joined] == [("서울 수서경찰서", "ORG")]
    # a company after a city stays its own organisation
    text = "서울 카카오는 판교로 옮겼다."
    split = [Mention(0, 2, "서울", "LOC", "서울"), Mention(3, 6, "카카오", "ORG", "카카오")]
    assert join_city_and_police_station(text, split, load_gazetteer()) == split


def test_a_proper_noun_after_the_word_capital_is_a_place(extractor: EntityExtractor) -> None:
    text = "라인은 태국 수도 방콕에서 개발자 행사를 열었다."
    tokens = token_columns(list(extractor.kiwi.tokenize(text)))
    added = add_places_after_place_nouns(text, tokens, [])
    assert [(m.surface, m.type) for m in added] == [("방콕", "LOC")]
    # a place the tagger already found is not added twice
    tagged = [Mention(10, 12, "방콕", "LOC", "방콕")]
    assert add_places_after_place_nouns(text, tokens, tagged) == tagged


def test_an_untagged_proper_noun_the_training_forms_type_as_a_place_is_one(extractor: EntityExtractor) -> None:
    forms = EntityForms({"포르투갈": ("LC", "mid"), "카모니": ("OG", "hi")})
    text = "포르투갈에서는 카모니가 새 데이터센터를 열었다."
    tokens = token_columns(list(extractor.kiwi.tokenize(text)))
    assert [tokens.tags[0], tokens.forms[0]] == ["NNP", "포르투갈"]
    added = add_places_the_training_forms_know(text, tokens, [], forms)
    assert [(m.surface, m.type) for m in added] == [("포르투갈", "LOC")]
    # a place written into a longer word is left to the tagger
    text = "포르투갈산 와인을 들여왔다."
    tokens = token_columns(list(extractor.kiwi.tokenize(text)))
    assert add_places_the_training_forms_know(text, tokens, [], forms) == []


def test_a_place_after_its_country_is_one_place_and_two_countries_stay_two() -> None:
    text = "프랑스 칸에서 열린 행사에 한국 일본 기업이 모였다."
    found = [
        Mention(0, 3, "프랑스", "LOC", "프랑스"),
        Mention(4, 5, "칸", "LOC", "칸"),
        Mention(17, 19, "한국", "LOC", "한국"),
        Mention(20, 22, "일본", "LOC", "일본"),
    ]
    joined = join_place_chains(text, token_columns([]), found, load_gazetteer())
    assert [(m.surface, m.type) for m in joined] == [("프랑스 칸", "LOC"), ("한국", "LOC"), ("일본", "LOC")]
    # a part of a province, named after it, is one place with it
    text = "강원 영동에 눈이 온다."
    found = [Mention(0, 2, "강원", "LOC", "강원"), Mention(3, 5, "영동", "LOC", "영동")]
    assert [m.surface for m in join_place_chains(text, token_columns([]), found, load_gazetteer())] == ["강원 영동"]


def test_a_listed_region_the_tagger_missed_after_its_country_joins_it(extractor: EntityExtractor) -> None:
    text = "그랩은 태국 방콕의 개발 센터를 키웠다."
    tokens = token_columns(list(extractor.kiwi.tokenize(text)))
    found = [Mention(0, 2, "그랩", "ORG", "그랩"), Mention(4, 6, "태국", "LOC", "태국")]
    joined = join_place_chains(text, tokens, found, extractor.gazetteer)
    assert [(m.surface, m.type) for m in joined] == [("그랩", "ORG"), ("태국 방콕", "LOC")]
    # a listed region after a company is left to the tagger
    text = "그랩 방콕 지사가 문을 열었다."
    tokens = token_columns(list(extractor.kiwi.tokenize(text)))
    found = [Mention(0, 2, "그랩", "ORG", "그랩")]
    assert join_place_chains(text, tokens, found, extractor.gazetteer) == found
