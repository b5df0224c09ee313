"""Entity extraction on our own IT-news sentences, with the real Kiwi and the shipped model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from transforms.entities import EntityExtractor, entities_jsonl, get_extractor, normalize_money, resolve_date
from transforms.records import Mention

ANCHOR = "2019-07-26"


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return get_extractor()


def by_surface(mentions: list[Mention], surface: str) -> Mention:
    found = [mention for mention in mentions if mention.surface == surface]
    assert found, f"{surface!r} not in {[m.surface for m in mentions]}"
    return found[0]


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("3200억원", (320000000000, "KRW")),
        ("1조 2천억 원", (1200000000000, "KRW")),
        ("5억 달러", (500000000, "USD")),
        ("150억 원", (15000000000, "KRW")),
        ("5만 8200원", (58200, "KRW")),
        ("2.5조원", (2500000000000, "KRW")),
        ("1,000만원", (10000000, "KRW")),
    ],
)
def test_normalize_money(surface: str, expected: tuple[int, str]) -> None:
    assert normalize_money(surface) == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("7월 4일", "2019-07-04"),
        ("26일", "2019-07-26"),
        ("지난해", "2018"),
        ("지난 28일", "2019-06-28"),
        ("이날", "2019-07-26"),
        ("2019년 3월", "2019-03"),
        ("2018.3.5", "2018-03-05"),
        # a month or day named against a relative year or month
        ("작년 12월", "2018-12"),
        ("지난해 3월 5일", "2018-03-05"),
        ("이달 20일", "2019-07-20"),
        ("이달", "2019-07"),
        ("다음 달 3일", "2019-08-03"),
        ("내년 1월", "2020-01"),
        # part of a relative month or year: the month or year
        ("이달 중순", "2019-07"),
        ("다음 달 초", "2019-08"),
        ("올해 상반기", "2019"),
        # a quarter: its year written or named; a bare one after the publication's quarter is last year's
        ("올해 2분기", "2019-Q2"),
        ("지난해 4분기", "2018-Q4"),
        ("2024년 1분기", "2024-Q1"),
        ("3분기", "2019-Q3"),
        ("4분기", "2018-Q4"),
        ("오는 2분기", "2020-Q2"),  # said as coming: the next second quarter
        ("오는 2020년 1분기", "2020-Q1"),
        # 내달 is next month; a part of a written year is the year
        ("내달", "2019-08"),
        ("내달 초", "2019-08"),
        ("내달 15일", "2019-08-15"),
        ("2020년 상반기", "2020"),
    ],
)
def test_resolve_date(surface: str, expected: str) -> None:
    assert resolve_date(surface, date(2019, 7, 26)) == expected


def test_a_relative_year_or_month_and_the_date_after_it_are_one_mention(extractor: EntityExtractor) -> None:
    text = "회사는 작년 12월 설립됐고 이달 20일 첫 제품을 낸다."
    dates = [(m.surface, m.normalized) for m in extractor.extract(text, "2024-06-10") if m.type == "DATE"]
    assert dates == [("작년 12월", "2023-12"), ("이달 20일", "2024-06-20")]


def test_a_quarter_is_one_date_but_not_a_count_of_quarters(extractor: EntityExtractor) -> None:
    text = "회사는 올해 2분기 매출이 12분기 만에 늘었고 4분기에 신제품을 낼 예정이다. 2분기 연속 흑자다."
    dates = [(m.surface, m.normalized) for m in extractor.extract(text, "2024-08-10") if m.type == "DATE"]
    assert dates == [("올해 2분기", "2024-Q2"), ("4분기", "2024-Q4")]


def test_a_written_year_keeps_its_quarter_or_part_and_next_month_is_a_date(extractor: EntityExtractor) -> None:
    text = "오는 2027년 1분기 출시하고 2026년 상반기에 시범 운영한다. 내달 초 공개하며 그는 현장으로 내달렸다."
    dates = [(m.surface, m.normalized) for m in extractor.extract(text, "2026-12-01") if m.type == "DATE"]
    assert dates == [("오는 2027년 1분기", "2027-Q1"), ("2026년 상반기", "2026"), ("내달 초", "2027-01")]


def test_relative_dates_stay_unresolved_without_anchor() -> None:
    assert resolve_date("26일", None) is None
    assert resolve_date("2019년 7월 4일", None) == "2019-07-04"


def test_ministry_abbreviation_and_money_and_dates(extractor: EntityExtractor) -> None:
    text = "중소벤처기업부는 26일 스타트업 지원 예산을 발표했다. 중기부는 지난해보다 3200억원 늘렸다고 밝혔다."
    mentions = extractor.extract(text, ANCHOR)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    short = by_surface(mentions, "중기부")
    assert (short.type, short.canonical) == ("ORG", "중소벤처기업부")
    assert by_surface(mentions, "26일").normalized == "2019-07-26"
    assert by_surface(mentions, "지난해").normalized == "2018"
    money = by_surface(mentions, "3200억원")
    assert (money.type, money.normalized) == ("MONEY", "320000000000")


def test_parenthesised_alias_and_foreign_currency(extractor: EntityExtractor) -> None:
    text = "과학기술정보통신부(과기정통부)는 1조 2천억 원을 투입한다. 과기정통부 관계자는 5억 달러 규모라고 말했다."
    mentions = extractor.extract(text, ANCHOR)
    assert {m.canonical for m in mentions if m.surface == "과기정통부"} == {"과학기술정보통신부"}
    assert by_surface(mentions, "1조 2천억 원").normalized == "1200000000000"
    assert by_surface(mentions, "5억 달러").normalized == "USD 500000000"


def test_president_surname_resolves_to_full_name(extractor: EntityExtractor) -> None:
    text = "문재인 대통령은 7월 4일 청와대에서 기업인들을 만났다. 문 대통령은 혁신을 강조했다."
    mentions = extractor.extract(text, ANCHOR)
    full = by_surface(mentions, "문재인")
    assert (full.type, full.attrs.get("title")) == ("PERSON", "대통령")
    short = by_surface(mentions, "문")
    assert (short.type, short.canonical) == ("PERSON", "문재인")
    assert by_surface(mentions, "7월 4일").normalized == "2019-07-04"


def test_surname_title_takes_most_recent_matching_person(extractor: EntityExtractor) -> None:
    text = "네이버 이해진 창업자와 카카오 김범수 의장이 만났다. 이재웅 쏘카 대표도 참석했다. 이 대표는 규제를 비판했다."
    mentions = extractor.extract(text, ANCHOR)
    founder = by_surface(mentions, "이해진")
    assert founder.attrs == {"title": "창업자", "org": "네이버"}
    assert by_surface(mentions, "김범수").attrs == {"title": "의장", "org": "카카오"}
    short = by_surface(mentions, "이")
    assert short.canonical == "이재웅"
    assert short.attrs.get("title") == "대표"


def test_person_keeps_title_and_organisation_after_name(extractor: EntityExtractor) -> None:
    mentions = extractor.extract("손정의 소프트뱅크 회장은 150억 원 규모의 투자를 약속했다.", ANCHOR)
    person = by_surface(mentions, "손정의")
    assert person.type == "PERSON"
    assert person.attrs == {"title": "회장", "org": "소프트뱅크"}
    assert by_surface(mentions, "150억 원").normalized == "15000000000"


def test_a_persons_gloss_in_chinese_characters_is_the_same_person(extractor: EntityExtractor) -> None:
    mentions = extractor.extract("손정의(孫正義) 소프트뱅크 회장은 도쿄에서 기자회견을 열었다.", ANCHOR)
    person = by_surface(mentions, "손정의")
    # the age or gloss between the name and the organisation and post does not hide them
    assert person.attrs == {"title": "회장", "org": "소프트뱅크"}
    people = [mention for mention in mentions if mention.type == "PERSON"]
    assert {mention.canonical for mention in people} == {"손정의"}, people


def test_unresolved_surname_keeps_its_surface(extractor: EntityExtractor) -> None:
    mentions = extractor.extract("이 회장은 아직 공식 입장을 내지 않았다.", ANCHOR)
    # No full name earlier in the article: nothing to resolve to, so no invented canonical name.
    assert all(m.canonical == m.surface for m in mentions if m.type == "PERSON")


def test_extract_many_matches_extract_and_jsonl_keeps_line_count(extractor: EntityExtractor) -> None:
    texts = ["카카오는 26일 실적을 발표했다.", "", "삼성전자는 미국 텍사스에 공장을 짓는다."]
    batched = extractor.extract_many(texts, [ANCHOR] * len(texts))
    assert batched[0] == extractor.extract(texts[0], ANCHOR)
    assert batched[1] == []
    lines = list(entities_jsonl(texts, published_at=ANCHOR))
    assert len(lines) == 3
    first = json.loads(lines[0])["entities"]
    assert {"text": "카카오", "type": "ORG"}.items() <= first[0].items()


@pytest.mark.parametrize(
    ("surface", "following", "expected"),
    [
        # Past report of a day after the publication day: last month.
        ("26일", " 실적을 발표했다.", "2026-10-26"),
        ("지난 26일", " 발표했다.", "2026-10-26"),
        # Said as future: this month.
        ("26일", "부터 접수를 받는다.", "2026-11-26"),
        ("26일", "까지 신청하면 된다.", "2026-11-26"),
        ("26일", " 열릴 예정이다.", "2026-11-26"),
        ("오는 26일", " 출시한다.", "2026-11-26"),
        # "오는" with a day already past this month: next month; a month already past: next year.
        ("오는 3일", " 출시한다.", "2026-12-03"),
        ("오는 2월", "", "2027-02"),
        # On or before the publication day: this month, whatever follows.
        ("20일", " 밝혔다.", "2026-11-20"),
        ("3일", "부터 시작됐다.", "2026-11-03"),
    ],
)
def test_bare_day_against_publication_day(surface: str, following: str, expected: str) -> None:
    assert resolve_date(surface, date(2026, 11, 20), following) == expected


def test_bare_day_in_article_text_uses_following_words(extractor: EntityExtractor) -> None:
    text = "카카오는 26일 실적을 발표했다. 신청은 28일까지 받는다."
    mentions = extractor.extract(text, "2026-11-20")
    assert by_surface(mentions, "26일").normalized == "2026-10-26"
    assert by_surface(mentions, "28일").normalized == "2026-11-28"


@pytest.mark.parametrize(
    ("surface", "following", "expected"),
    [
        # 2026-11-20 is a Friday
        ("지난 토요일", "", "2026-11-14"),
        ("지난 금요일", "", "2026-11-13"),
        ("오는 금요일", "", "2026-11-27"),
        ("오는 월요일", "", "2026-11-23"),
        ("이번 주 수요일", "", "2026-11-18"),
        ("다음 주 월요일", "", "2026-11-23"),
        ("지난주 화요일", "", "2026-11-10"),
        ("화요일", " 발표했다.", "2026-11-17"),
        ("금요일", " 밝혔다.", "2026-11-20"),
        ("화요일", "부터 판매한다.", "2026-11-24"),
    ],
)
def test_weekday_against_publication_day(surface: str, following: str, expected: str) -> None:
    assert resolve_date(surface, date(2026, 11, 20), following) == expected


def test_a_future_word_in_the_next_sentence_is_not_this_dates(extractor: EntityExtractor) -> None:
    mentions = extractor.extract("카카오는 26일 발표했다. 접수는 28일부터 받는다.", "2026-11-20")
    assert by_surface(mentions, "26일").normalized == "2026-10-26"
    assert by_surface(mentions, "28일").normalized == "2026-11-28"
    weekdays = extractor.extract("행사는 일요일 열렸다. 월요일부터 판매한다.", "2026-11-20")
    assert [(m.surface, m.normalized) for m in weekdays if m.type == "DATE"] == [
        ("일요일", "2026-11-15"),
        ("월요일", "2026-11-23"),
    ]


def test_split_compounds_follows_klue_conventions() -> None:
    from transforms.entities.features import PieceToken, split_compounds

    def forms(tokens: list[PieceToken]) -> list[str]:
        return [token.form for token in split_compounds(tokens)]

    assert forms([PieceToken("한미", "NNP", 0, 2), PieceToken("정상", "NNG", 3, 2)]) == ["한", "미", "정상"]
    assert forms([PieceToken("한·미", "NNP", 0, 3)]) == ["한", "·", "미"]
    assert forms([PieceToken("북측", "NNG", 0, 2)]) == ["북", "측"]
    assert forms([PieceToken("박씨", "NNP", 0, 2)]) == ["박", "씨"]
    # One place, not a pair; and nothing to split returns the same sequence.
    unsplit = [PieceToken("북한", "NNP", 0, 2), PieceToken("남미", "NNP", 3, 2)]
    assert split_compounds(unsplit) is unsplit


def test_lexicon_marks_names_split_into_several_tokens() -> None:
    from transforms.entities.features import FeatureBuilder, PieceToken
    from transforms.entities.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    assert "P" in gazetteer.name_kinds["로잔나포데스타"]
    tokens = [
        PieceToken("배우", "NNG", 0, 2),
        PieceToken("로잔나", "NNP", 3, 3, oov=True),
        PieceToken("포데스타", "NNP", 7, 4, oov=True),
        PieceToken("가", "JKS", 11, 1),
    ]
    items = FeatureBuilder(gazetteer).build(tokens, "배우 로잔나 포데스타가")
    assert "mks=BP" in items[1] and "mks=IP" in items[2]
    assert "oov" in items[1] and "oov" not in items[0]
    assert not any(feature.startswith("mks=") for feature in items[0] + items[3])


def test_kiwi_clusters_group_similar_morphemes() -> None:
    from transforms.entities.gazetteer import load_gazetteer

    clusters = load_gazetteer().clusters
    # At 512 clusters, cities share one and companies another; at 128 the two groups already differ.
    assert clusters[("부산", "NNP")][2] == clusters[("대구", "NNP")][2] == clusters[("인천", "NNP")][2]
    assert clusters[("카카오", "NNP")][2] == clusters[("네이버", "NNP")][2] == clusters[("삼성전자", "NNP")][2]
    assert clusters[("부산", "NNP")][1] != clusters[("카카오", "NNP")][1]


def test_person_and_organisation_split_only_for_korean_names(extractor: EntityExtractor) -> None:
    from transforms.entities.rules.people import split_person_organisation

    text = "이재웅 쏘카 대표와 프랑크 베옌스 교수가 만났다."
    # As the CRF sometimes tags them: name and organisation (or a foreign given name and surname) as one.
    tagged = [
        Mention(0, 6, "이재웅 쏘카", "PERSON", "이재웅 쏘카"),
        Mention(10, 17, "프랑크 베옌스", "PERSON", "프랑크 베옌스"),
    ]
    split = split_person_organisation(text, tagged, extractor.entity_forms, extractor.gazetteer)
    assert [(m.surface, m.type) for m in split] == [("이재웅", "PERSON"), ("쏘카", "ORG"), ("프랑크 베옌스", "PERSON")]
    # tagged as one organisation: a first word that is only a person's name is the person (not 서울대)
    text = "권주원 솔빛에너지 대표와 서울대 의대 교수가 만났다."
    tagged = [
        Mention(0, 9, "권주원 솔빛에너지", "ORG", "권주원 솔빛에너지"),
        Mention(13, 19, "서울대 의대", "ORG", "서울대 의대"),
    ]
    split = split_person_organisation(text, tagged, extractor.entity_forms, extractor.gazetteer)
    assert [(m.surface, m.type) for m in split] == [
        ("권주원", "PERSON"),
        ("솔빛에너지", "ORG"),
        ("서울대 의대", "ORG"),
    ]


def _network_inputs(extractor: EntityExtractor, texts: list[str]) -> tuple[list, list, list, list]:
    """What the extractor hands the network for these texts: tokens, (form, tag) keys, context flags, CRF scores."""
    from transforms.entities.features import split_compounds

    features = extractor.features
    tokens = [split_compounds(extractor.kiwi.tokenize(text)) for text in texts]
    marks = [features.context_marks(text_tokens) for text_tokens in tokens]
    keys = [[(token.form, token.tag) for token in text_tokens] for text_tokens in tokens]
    contexts = [features.neural_context(t, m) for t, m in zip(tokens, marks, strict=True)]
    crf = [features.emissions(t, text, extractor.weights, m) for t, text, m in zip(tokens, texts, marks, strict=True)]
    return tokens, keys, contexts, crf


def test_network_scores_each_text_as_if_tagged_alone(extractor: EntityExtractor) -> None:
    """The shipped network runs a batch as one flat sequence: padding keeps texts from seeing each other."""
    neural = extractor.neural
    assert neural is not None, "entities.neural.npz is shipped beside the CRF"
    assert neural.labels == extractor.weights.labels  # columns put in the CRF's order at load
    texts = ["손정의 회장은 소프트뱅크비전펀드를 이끈다.", "네이버", "중소벤처기업부는 서울 강남구에서 행사를 열었다."]
    tokens, keys, contexts, crf = _network_inputs(extractor, texts)
    features = extractor.features
    together = neural.log_probs(keys, contexts, features, crf)
    for i in range(len(texts)):
        alone = neural.log_probs([keys[i]], [contexts[i]], features, [crf[i]])[0]
        assert together[i].shape == (len(tokens[i]), len(neural.labels))
        assert abs(together[i] - alone).max() < 1e-4
        # rows are log-probabilities
        assert abs(np.exp(alone).sum(axis=1) - 1).max() < 1e-4


def test_averaged_networks_file_gives_the_mean_of_its_networks(extractor: EntityExtractor, tmp_path: Path) -> None:
    """The shipped file's log-probabilities are its networks' mean; packed twice over, the same with twice the
    members."""
    from transforms.entities.neural import NetworkAverage, load_network, neural_path_for, pack_networks

    shipped_path = neural_path_for(extractor.model_path)
    packed_path = tmp_path / "entities.neural.npz"
    pack_networks([shipped_path, shipped_path], 0.5, packed_path)
    shipped, packed = extractor.neural, load_network(packed_path)
    packed.use_label_order(extractor.weights.labels)
    assert isinstance(packed, NetworkAverage) and packed.weight == 0.5
    members = shipped.networks if isinstance(shipped, NetworkAverage) else [shipped]
    assert len(packed.networks) == 2 * len(members)
    texts = ["손정의 회장은 소프트뱅크비전펀드를 이끈다.", "중소벤처기업부는 서울 강남구에서 행사를 열었다."]
    _, keys, contexts, crf = _network_inputs(extractor, texts)
    features = extractor.features
    expected = shipped.log_probs(keys, contexts, features, crf)
    each = [member.log_probs(keys, contexts, features, crf) for member in members]
    for text, want in enumerate(expected):
        assert abs(np.mean([scores[text] for scores in each], axis=0) - want).max() < 1e-5
    for got, want in zip(packed.log_probs(keys, contexts, features, crf), expected, strict=True):
        assert abs(got - want).max() < 1e-5


def _log_probs_of(network, extractor: EntityExtractor, texts: list[str]) -> list[np.ndarray]:
    network.use_label_order(extractor.weights.labels)
    _, keys, contexts, crf = _network_inputs(extractor, texts)
    return network.log_probs(keys, contexts, extractor.features, crf)


def test_network_reads_the_kiwi_vector_of_each_morpheme(extractor: EntityExtractor) -> None:
    """The shipped network's input includes Kiwi's CoNg vector of the morpheme (projected, one row per
    form/tag): without those rows its scores change, so the table is really read at run time."""
    from transforms.entities.neural import NeuralTagger, neural_path_for

    with np.load(neural_path_for(extractor.model_path)) as data:
        arrays = {name: data[name] for name in data.files}
    assert "networks" not in arrays and len(arrays["vocab_vec"]) > 50_000
    keys = arrays["vocab_vec"].tolist()
    assert "소프트뱅크/NNP" in keys and "대표/NNG" in keys
    texts = ["손정의 회장은 소프트뱅크비전펀드를 이끈다.", "네이버 대표는 서울에서 행사를 열었다."]
    with_vectors = _log_probs_of(NeuralTagger(arrays), extractor, texts)
    blank = dict(arrays, emb_vec=np.zeros_like(arrays["emb_vec"]))
    without = _log_probs_of(NeuralTagger(blank), extractor, texts)
    assert max(abs(a - b).max() for a, b in zip(with_vectors, without, strict=True)) > 0.01


def test_text_level_input_reads_the_whole_text_and_no_other(extractor: EntityExtractor) -> None:
    """The shipped network's text-level input (`topic_w`: the mean of the text's morpheme inputs, at every
    token) makes a token's scores depend on the rest of its text, and a batch still scores each text as if
    alone: the mean never runs over the padding into the next text."""
    from transforms.entities.neural import NeuralTagger, neural_path_for

    with np.load(neural_path_for(extractor.model_path)) as data:
        arrays = {name: data[name] for name in data.files}
    assert "topic_w" in arrays
    network = NeuralTagger(arrays)
    plain = NeuralTagger({name: value for name, value in arrays.items() if name != "topic_w"})
    # two texts alike in their first four tokens (all the convolutions see from the first), unlike after
    texts = [
        "독일이 브라질을 7대 1로 꺾고 결승에 올랐다.",
        "네이버",
        "독일이 브라질을 7대 1로 앞선다는 정부 통계가 나왔다.",
    ]
    together = _log_probs_of(network, extractor, texts)
    for i, text in enumerate(texts):
        alone = _log_probs_of(network, extractor, [text])[0]
        assert abs(together[i] - alone).max() < 1e-4
    without = _log_probs_of(plain, extractor, texts)
    assert abs(without[0][0] - without[2][0]).max() < 1e-5
    assert abs(together[0][0] - together[2][0]).max() > 0.01


def test_mean_of_one_runs_snapshots_is_one_network(extractor: EntityExtractor, tmp_path: Path) -> None:
    """training/average_neural.py --mean-weights: the parameters' mean of identical snapshots is the same
    network; snapshots of different runs (other vocabularies) are refused."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
    from average_neural import mean_parameters

    from transforms.entities.neural import load_network, neural_path_for

    shipped = neural_path_for(extractor.model_path)
    averaged = tmp_path / "entities.neural.npz"
    mean_parameters([shipped, shipped], 1.0, averaged)
    texts = ["손정의 회장은 소프트뱅크비전펀드를 이끈다."]
    got = _log_probs_of(load_network(averaged), extractor, texts)
    want = _log_probs_of(load_network(shipped), extractor, texts)
    assert abs(got[0] - want[0]).max() < 1e-3
    with np.load(shipped) as data:
        other = {name: data[name] for name in data.files}
    other["vocab_w"] = other["vocab_w"][::-1]
    np.savez(tmp_path / "other.npz", **other)
    with pytest.raises(SystemExit, match="vocab_w"):
        mean_parameters([shipped, tmp_path / "other.npz"], 1.0, tmp_path / "mixed.npz")


def _plain_viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Textbook Viterbi, one token at a time: the reference for the decoder's shortcuts."""
    best = emissions[0].copy()
    back = []
    for row in emissions[1:]:
        candidates = best[:, None] + transitions  # from x to
        back.append(candidates.argmax(axis=0))
        best = candidates.max(axis=0) + row
    path = [int(best.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return path[::-1]


def test_decoding_in_runs_between_settled_tokens_finds_the_plain_viterbi_path(extractor: EntityExtractor) -> None:
    """The decoder labels O, without decoding, a token whose O score leads by more than any transition could
    make up, and decodes the runs between such tokens on their own: the paths are a plain Viterbi's."""
    weights = extractor.weights
    rng = np.random.default_rng(7)
    settled = 0
    for _ in range(60):
        batch = []
        for _ in range(int(rng.integers(1, 6))):
            emissions = rng.normal(0.0, float(rng.choice([1.0, 4.0, 12.0])), (int(rng.integers(0, 40)), weights.size))
            lead = rng.random(len(emissions)) < 0.6  # news text: most tokens are plainly O
            emissions[lead, weights.outside] += weights.settled_margin + rng.uniform(0.0, 5.0, int(lead.sum()))
            settled += int(lead.sum())
            batch.append(emissions)
        paths = [_plain_viterbi(emissions, weights.transitions) if len(emissions) else [] for emissions in batch]
        expected = [[weights.labels[label] for label in path] for path in paths]
        assert weights.viterbi_many(batch) == expected
    assert settled > 1000


def test_network_context_part_is_the_convolution_of_its_inputs(extractor: EntityExtractor) -> None:
    """The first layer's flag part is looked up per distinct flag row (kept across calls); it must equal the
    plain five-tap convolution of flags and CRF scores, for rows seen before and new ones alike."""
    neural = extractor.neural
    assert neural is not None
    members = neural.networks if hasattr(neural, "networks") else [neural]
    rng = np.random.default_rng(3)
    for network in members:
        hidden, flags = network.hidden, network.flag_rows
        for _ in range(3):
            inputs = np.zeros((300, network.first_context.shape[0]), np.float32)
            inputs[:, :flags] = rng.random((300, flags)) < 0.05
            inputs[:, flags:] = rng.normal(0.0, 3.0, (300, inputs.shape[1] - flags))
            expected = np.zeros((300, hidden), np.float32)
            for tap in range(5):
                shift = tap - 2
                taps = inputs @ network.first_context[:, tap * hidden : (tap + 1) * hidden]
                if shift >= 0:
                    expected[: 300 - shift] += taps[shift:]
                else:
                    expected[-shift:] += taps[:shift]
            assert abs(network._context_part(inputs) - expected).max() < 1e-3
