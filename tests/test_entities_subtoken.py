"""Spans cut back inside their last Kiwi token (transforms/entities/subtoken.py), on sentences written for
these tests. The tokens are laid out as Kiwi gives them when it glues a name to what follows it (it does
so for names it has to guess, depending on the sentence), so each rule is checked on exactly that shape."""

from __future__ import annotations

from transforms.entities.features import PieceToken
from transforms.entities.subtoken import trim_to_entity

PLACES = frozenset(("대전", "세종", "마포", "칠곡", "케냐"))


def is_place(form: str) -> bool:
    return form in PLACES


def unknown(_form: str, _kind: str) -> bool:
    return False


def tokens_of(text: str, *pieces: tuple[str, str, bool]) -> list[PieceToken]:
    """Tokens for `pieces` (form, tag, guessed by Kiwi), each found left to right in `text`."""
    tokens, position = [], 0
    for form, tag, oov in pieces:
        start = text.index(form, position)
        tokens.append(PieceToken(form, tag, start, len(form), oov))
        position = start + len(form)
    return tokens


def trimmed(text: str, tokens: list[PieceToken], kind: str, known=unknown) -> list[str]:
    """The surface of the span over all `tokens` of kind `kind`, after the rules."""
    span = (tokens[0].start, tokens[-1].start + tokens[-1].len, kind)
    return [text[start:end] for start, end, _ in trim_to_entity(text, tokens, [span], is_place, known)]


def test_particle_glued_to_a_guessed_name_is_cut() -> None:
    text = "바르토시크의 새 음반이 다음 달 나온다."
    assert trimmed(text, tokens_of(text, ("바르토시크의", "NNP", True)), "PS") == ["바르토시크"]
    text = "협회는 올해 총회를 케냐 키수무코에서 열기로 했다."
    tokens = tokens_of(text, ("케냐", "NNP", False), ("키수무코에서", "NNP", True))
    assert trimmed(text, tokens, "LC") == ["케냐 키수무코"]
    text = "보르도니아에 첫 매장을 연 지 1년 만이다."
    assert trimmed(text, tokens_of(text, ("보르도니아에", "NNP", True)), "LC") == ["보르도니아"]


def test_subject_particle_is_cut_only_after_a_vowel() -> None:
    text = "라마누자가 기조연설을 맡았다."
    assert trimmed(text, tokens_of(text, ("라마누자가", "NNP", True)), "PS") == ["라마누자"]
    # 가 after a final consonant is no subject particle: 캄작가 stays whole
    text = "캄작가 회원들이 모였다."
    assert trimmed(text, tokens_of(text, ("캄작가", "NNP", True)), "OG") == ["캄작가"]


def test_names_that_only_look_like_a_particle_stay_whole() -> None:
    # a known word (벨기에), a name the lexicons know whole, a token that does not end its eojeol
    text = "벨기에 대표단이 도착했다."
    assert trimmed(text, tokens_of(text, ("벨기에", "NNP", False)), "LC") == ["벨기에"]
    text = "하루노의 신곡이 공개됐다."
    assert trimmed(text, tokens_of(text, ("하루노의", "NNP", True)), "PS", lambda form, kind: True) == ["하루노의"]
    text = "모로비에는 항구 도시다."
    assert trimmed(text, tokens_of(text, ("모로비에", "NNP", True)), "LC") == ["모로비에"]
    # other particle syllables end many names (삼둥이, 오나가와): no rule for them
    text = "다둥이 삼형제 중 막내 봄둥이 소식이다."
    assert trimmed(text, tokens_of(text, ("봄둥이", "NNP", True)), "PS") == ["봄둥이"]


def test_person_titles_glued_to_a_name() -> None:
    text = "개발자 한빛누리씨는 앱을 직접 만들었다."
    assert trimmed(text, tokens_of(text, ("한빛누리씨", "NNP", False)), "PS") == ["한빛누리"]
    text = "경찰은 박모군을 상대로 경위를 조사했다."
    assert trimmed(text, tokens_of(text, ("박모군", "NNP", False)), "PS") == ["박"]
    # 군 alone is part of titles and names
    text = "완평대군은 세종의 아들이다."
    assert trimmed(text, tokens_of(text, ("완평대군", "NNP", False)), "PS") == ["완평대군"]


def test_place_glued_to_an_office_or_an_area() -> None:
    text = "대전시장은 연구단지 방문 일정을 공개했다."
    assert trimmed(text, tokens_of(text, ("대전시장", "NNG", False)), "LC") == ["대전"]
    text = "세종지역 스타트업 열 곳이 참여했다."
    assert trimmed(text, tokens_of(text, ("세종지역", "NNP", False)), "LC") == ["세종"]
    text = "케냐인 개발자 두 명이 합류했다."
    assert trimmed(text, tokens_of(text, ("케냐인", "NNG", False)), "LC") == ["케냐"]
    # a branch is a place of its own (칠곡점), and so is a 시장 of a name that is no place
    text = "칠곡점은 다음 주 문을 연다."
    assert trimmed(text, tokens_of(text, ("칠곡점", "NNP", False)), "LC") == ["칠곡점"]
    text = "동문시장은 주말마다 붐빈다."
    assert trimmed(text, tokens_of(text, ("동문시장", "NNP", False)), "LC") == ["동문시장"]


def test_electoral_district_letter_is_cut() -> None:
    text = "마포갑 보궐선거에 세 명이 나섰다."
    assert trimmed(text, tokens_of(text, ("마포갑", "NNP", False)), "LC") == ["마포"]
    # 을 ends too many place names (마을) to be cut
    text = "햇살마을 주민들이 모였다."
    assert trimmed(text, tokens_of(text, ("햇살마을", "NNP", False)), "LC") == ["햇살마을"]


def test_spans_that_end_between_tokens_are_untouched() -> None:
    text = "라마누자가 기조연설을 맡았다."
    tokens = tokens_of(text, ("라마누자", "NNP", True), ("가", "JKS", False))
    assert trim_to_entity(text, tokens, [(0, 4, "PS")], is_place, unknown) == [(0, 4, "PS")]
    assert trim_to_entity(text, tokens, [], is_place, unknown) == []
