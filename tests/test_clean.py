"""The cleaning cascade on Korean snippets: one test per boilerplate form, plus what must stay."""

from __future__ import annotations

import pytest

from transforms.clean import CLEANING_STEPS, clean_article, clean_text, split_caption_credit
from transforms.ids import article_id
from transforms.records import ImageRecord, ParsedArticle

BODY_SENTENCE = "중소벤처기업부는 12일 스타트업 해외 진출 지원 방안을 발표했다."
SECOND_SENTENCE = "지원 대상은 인공지능(AI)과 딥테크 분야 스타트업 100곳이다."


def _article(body_html: str, **fields: object) -> ParsedArticle:
    return ParsedArticle(
        url="https://www.example.co.kr/news/articleView.html?idxno=1&utm_source=feed",
        source="example",
        title=str(fields.pop("title", "중기부, 스타트업 해외 진출 지원")),
        body_html=body_html,
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"[디지털데일리 이종현기자] {BODY_SENTENCE}", BODY_SENTENCE),
        (f"(서울=뉴스1) 정재민 기자 = {BODY_SENTENCE}", BODY_SENTENCE),
        (f"[헤럴드경제=송형근 기자] {BODY_SENTENCE}", BODY_SENTENCE),
        (f"[이데일리 이재길 기자] {BODY_SENTENCE}", BODY_SENTENCE),
        (f"[아시아경제 최석환 인턴기자] {BODY_SENTENCE}", BODY_SENTENCE),
        (f"[피닉스(미국) =김재호 MK스포츠 특파원] {BODY_SENTENCE}", BODY_SENTENCE),
        (f"(세종=연합뉴스) 김철수 이영희 기자 = {BODY_SENTENCE}", BODY_SENTENCE),
    ],
)
def test_leading_bylines_are_stripped(raw: str, expected: str) -> None:
    assert clean_text(f"{raw}\n{SECOND_SENTENCE}") == f"{expected}\n\n{SECOND_SENTENCE}"


@pytest.mark.parametrize(
    "byline",
    [
        "홍길동 기자 hong@example.co.kr",
        "김승환·이강진·박현준 기자hwan@example.com",
        "이보배 한경닷컴 객원기자 newsinfo@example.com",
        "이종현(bell@example.co.kr) 기자 프로필",
        "전하람·차윤호기자 haram@dt.co.kr",
        "홍길동 기자",
        "기자명 홍길동 기자",
    ],
)
def test_trailing_byline_lines_are_dropped(byline: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{SECOND_SENTENCE}\n{byline}") == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"


def test_byline_glued_to_last_paragraph_is_cut() -> None:
    assert clean_text(f"{BODY_SENTENCE} 홍길동 기자 hong@example.co.kr") == BODY_SENTENCE


@pytest.mark.parametrize(
    "footer",
    [
        "저작권자 © 디지털데일리 무단전재 및 재배포 금지",
        "<저작권자 ⓒ IT조선, 무단전재 및 재배포 금지>",
        "[ⓒ 세계일보 & Segye.com, 무단전재 및 재배포 금지]",
        "Copyright © 뉴스1. All rights reserved. 무단 전재 및 재배포 금지.",
        "<ⓒ투자가를 위한 경제콘텐츠 플랫폼, 아시아경제(www.asiae.co.kr) 무단전재 배포금지>",
        "[저작권자 ⓒ디지털타임스 무단 전재-재배포 금지]",
    ],
)
def test_copyright_footers_are_dropped(footer: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{footer}") == BODY_SENTENCE


@pytest.mark.parametrize(
    "credit",
    ["사진=연합뉴스", "[사진=게티이미지뱅크]", "/ 중기부 제공", "/AFP연합뉴스", "◇스포츠조선DB", "<사진=카카오 제공>"],
)
def test_credit_lines_are_dropped(credit: str) -> None:
    assert clean_text(f"{credit}\n{BODY_SENTENCE}") == BODY_SENTENCE


def test_credit_opening_a_paragraph_is_cut() -> None:
    assert clean_text(f"[사진=게티이미지뱅크] {BODY_SENTENCE}") == BODY_SENTENCE


@pytest.mark.parametrize(
    "tail",
    [
        "관련기사\n카카오, AI 에이전트 ‘카나’ 출시\n네이버클라우드, 도쿄 데이터센터 착공",
        "키워드\n#AI #스타트업",
        "키워드Tags #중기부 #스타트업",
        "다른기사 보기",
        "기사제보 및 보도자료 news@example.co.kr",
        "SNS 기사보내기\n페이스북\n트위터\n카카오톡",
        "기사 댓글 0",
        "많이 본 뉴스\n삼성전자, HBM4 양산 돌입",
        "구독\n좋아요",
        "광고",
        "▶ 네이버 메인에서 디지털데일리 구독하기",
        "▶ 관련기사\n카카오T, 1분기 흑자 전환",
        "[관련기사]\n카카오T, 1분기 흑자 전환",
        "■ 많이 본 뉴스\n삼성전자, HBM4 양산 돌입",
        "◎공감언론 뉴시스가 독자 여러분의 소중한 제보를 기다립니다. 뉴스 가치나 화제성이 있다고 판단되는 사진 또는 "
        "영상을 뉴시스 사진영상부(n-photo@example.com)로 보내주시면 적극 반영하겠습니다.",
        "송고2024-05-07 10:12",
        "2024-03-12 17:20 최종수정",
        "☞ 네이버에서 예시경제 뉴스를 받아보세요",
        "이 기자의 다른 기사 보기",
        "기자 페이지",
        "[뉴스1 바로가기]",
        "[예시경제]",
        "관련 태그",
        "지금 뜨는 뉴스",
        "AI 요약",
        "글자크기 설정",
        "이 기사를 공유합니다",
        "좋아요 0 훈훈해요 0 슬퍼요 0 화나요 0 후속요청 0",
        "※ 이 기사는 2024년 3월 4일자 지면에 게재됐습니다.",
        "※ '당신의 제보가 뉴스가 됩니다' [카카오톡] 예시TV 검색해 채널 추가 [메일] social@example.com",
        "디지털뉴스부 desk@example.com",
        "네이버 채널에서 예시경제를 구독해주세요!",
    ],
)
def test_tail_and_side_blocks_are_dropped(tail: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{tail}") == BODY_SENTENCE


def test_broadcast_markers_are_dropped_but_speech_stays() -> None:
    text = "【 앵커멘트 】\n정부가 AI 예산을 늘립니다.\n<앵커>\n관련 소식입니다."
    assert clean_text(text) == "정부가 AI 예산을 늘립니다.\n\n관련 소식입니다."


def test_repeated_lines_are_kept_once() -> None:
    text = f"{BODY_SENTENCE}\n{SECOND_SENTENCE}\n{BODY_SENTENCE}"
    assert clean_text(text) == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"


def test_unicode_whitespace_and_quotes_are_normalised() -> None:
    decomposed = "\u1112\u1161\u11ab\u1100\u1173\u11af"  # "한글" as jamo (NFD)
    text = f"{decomposed}\u00a0\u00a0기사\u200b 본문 \u201e인용\u201f ″따옴표″"
    assert clean_text(text) == "한글 기사 본문 “인용“ ”따옴표”"


def test_intertitles_quotes_and_glosses_stay() -> None:
    text = (
        "소프트뱅크벤처스 “한국 AI 스타트업 글로벌 진출 돕겠다”\n"
        "이 장관은 「현지 대기업과의 협업 기회를 열겠다」고 말했다.\n"
        "‘하이퍼클로바X(HyperCLOVA X)’는 한국어 거대언어모델(巨大言語模型)이다."
    )
    assert clean_text(text) == text.replace("\n", "\n\n")


@pytest.mark.parametrize(
    "line",
    [
        "업계 관계자는 “AI 요약 기능이 핵심”이라고 말했다.",
        "좋아요 수가 1000개를 넘었다.",
        "삼성전자 3 SK하이닉스 2 LG전자 1",
        "[Engadget]",
        "※ 이 조사는 전국 성인 1000명을 대상으로 진행됐다.",
    ],
)
def test_lines_like_page_furniture_but_text_stay(line: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{line}") == f"{BODY_SENTENCE}\n\n{line}"


def test_a_quoted_appeal_for_tips_stays() -> None:
    text = '경찰 관계자는 "목격자의 제보를 기다립니다"라며 협조를 당부했다.'
    assert clean_text(text) == text
    script = "경찰은 사고 당시 주변을 지나던 차량의 블랙박스 영상 제보를 받습니다."  # a broadcast script
    assert clean_text(script) == script


def test_plain_sentences_that_mention_reporters_stay() -> None:
    text = "기자간담회에서 김 대표는 “기자들의 질문에 답하겠다”고 말했다.\n사진 촬영은 금지됐다고 회사는 설명했다."
    assert clean_text(text) == text.replace("\n", "\n\n")


def test_caption_and_credit_split() -> None:
    assert split_caption_credit("오영주 장관이 인사말을 하고 있다. / 중기부 제공") == (
        "오영주 장관이 인사말을 하고 있다.",
        "중기부 제공",
    )
    assert split_caption_credit("관람객들이 신작을 체험하고 있다. /AFP연합뉴스") == (
        "관람객들이 신작을 체험하고 있다.",
        "AFP연합뉴스",
    )
    assert split_caption_credit("(사진=네이버클라우드 제공) 권태현 대표가 발표하고 있다.") == (
        "권태현 대표가 발표하고 있다.",
        "네이버클라우드 제공",
    )
    assert split_caption_credit("시민들이 거리에서 구호를 외치고 있다. 남정탁 기자") == (
        "시민들이 거리에서 구호를 외치고 있다.",
        "남정탁 기자",
    )
    assert split_caption_credit("선수들이 경기에 나서고 있다. 연합뉴스") == ("선수들이 경기에 나서고 있다.", "연합뉴스")
    assert split_caption_credit("데이터센터 전경./사진=AFPBBNews=뉴스1") == ("데이터센터 전경.", "AFPBBNews=뉴스1")
    # Yonhap's handout credit with its resale notice; an English wire's; the arrow small outlets put first
    assert split_caption_credit("판교 사옥 [네이버 제공. 재판매 및 DB 금지]") == ("판교 사옥", "네이버 제공")
    assert split_caption_credit("Samsung's office in Seoul (Yonhap)") == ("Samsung's office in Seoul", "Yonhap")
    assert split_caption_credit("▲ 직원이 장비를 점검하고 있다. [사진=SK텔레콤]") == (
        "직원이 장비를 점검하고 있다.",
        "SK텔레콤",
    )


CAPTION = "오영주 중소벤처기업부 장관이 12일 서울 중구에서 인사말을 하고 있다."


def test_caption_in_alt_figcaption_and_bare_paragraph_leaves_the_body() -> None:
    body_html = (
        '<article id="article-view-content-div" class="article-veiw-body font-size17">'
        f"<p>[디지털데일리 이종현기자] {BODY_SENTENCE}</p>"
        f'<figure class="photo-layout"><img src="/photo/1.jpg" alt="{CAPTION} / 중기부 제공">'
        f"<figcaption>{CAPTION} / 중기부 제공</figcaption></figure>"
        f"<p>{CAPTION} / 중기부 제공</p>"
        '<div class="ad-template">광고</div>'
        "<h3>소프트뱅크벤처스 “한국 AI 스타트업 글로벌 진출 돕겠다”</h3>"
        f"<p>{SECOND_SENTENCE}<br>두 번째 줄은 별도 문단이다.</p>"
        '<img src="/photo/2.jpg" alt="">'
        "<p>판교 테크노밸리 전경. 연합뉴스</p>"
        "<p>이종현(bell@ddaily.co.kr) 기자 프로필</p>"
        "<p>저작권자 © 디지털데일리 무단전재 및 재배포 금지</p>"
        '<div class="relation-box"><strong>관련기사</strong><ul><li><a href="/2">다른 기사</a></li></ul></div>'
        "</article>"
    )
    cleaned = clean_article(_article(body_html))
    assert cleaned.body == "\n\n".join(
        [
            BODY_SENTENCE,
            "소프트뱅크벤처스 “한국 AI 스타트업 글로벌 진출 돕겠다”",
            SECOND_SENTENCE,
            "두 번째 줄은 별도 문단이다.",
        ]
    )
    assert cleaned.images == [
        ImageRecord(src="https://www.example.co.kr/photo/1.jpg", caption=CAPTION, credit="중기부 제공"),
        ImageRecord(src="https://www.example.co.kr/photo/2.jpg", caption="판교 테크노밸리 전경.", credit="연합뉴스"),
    ]
    assert cleaned.article_id == article_id("https://www.example.co.kr/news/articleView.html?idxno=1")
    assert cleaned.authors == ["이종현"]
    for step in CLEANING_STEPS:
        assert step.__name__ in cleaned.clean_stats
    assert cleaned.clean_stats["separate_image_captions"] >= 2
    assert cleaned.clean_stats["drop_copyright_footers"] == 1
    assert cleaned.clean_stats["strip_leading_bylines"] == 1


def test_spider_authors_win_over_bylines() -> None:
    cleaned = clean_article(
        _article(f"<div><p>(서울=뉴스1) 정재민 기자 = {BODY_SENTENCE}</p></div>", authors=["정재민"])
    )
    assert cleaned.authors == ["정재민"]
    several = clean_article(_article(f"<div><p>{BODY_SENTENCE}</p><p>김승환·이강진 기자 hwan@example.com</p></div>"))
    assert several.authors == ["김승환", "이강진"]
    assert several.body == BODY_SENTENCE


def test_generic_whole_page_runs_extraction_first() -> None:
    paragraphs = "".join(f"<p>{BODY_SENTENCE} 문단 {index}번째 내용이 이어진다.</p>" for index in range(6))
    page = (
        "<html><head><title>중기부 지원 - 예시뉴스</title>"
        '<meta property="og:title" content="중기부, 스타트업 지원">'
        '<meta property="article:published_time" content="2025-12-12T15:43:00+09:00"></head>'
        '<body><nav><a href="/">홈</a><a href="/it">IT</a></nav>'
        f"<article><h1>중기부, 스타트업 지원</h1>{paragraphs}"
        "<p>홍길동 기자 hong@example.co.kr</p><p>저작권자 © 예시뉴스 무단전재 및 재배포 금지</p></article>"
        "<footer>회사소개 | 개인정보처리방침</footer></body></html>"
    )
    cleaned = clean_article(_article(page, title="", extractor="generic"))
    assert cleaned.title == "중기부, 스타트업 지원"
    assert cleaned.published_at == "2025-12-12T15:43:00+09:00"
    assert cleaned.body.split("\n\n")[0].startswith(BODY_SENTENCE)
    assert len(cleaned.body.split("\n\n")) == 6
    assert "기자" not in cleaned.body and "무단전재" not in cleaned.body


def test_sentences_about_subscriptions_and_committees_stay() -> None:
    text = "카카오는 채널 추가 기능을 선보였다.\n국가인공지능위원회 위원\n뉴스레터 신청자가 늘었다."
    assert clean_text(text) == text.replace("\n", "\n\n")


def test_container_classes_that_look_like_clutter_do_not_drop_the_body() -> None:
    body_html = f'<div class="overflow-hidden font-size17"><div class="text"><p>{BODY_SENTENCE}</p></div></div>'
    assert clean_article(_article(body_html)).body == BODY_SENTENCE


def test_wire_photo_caption_splits_dateline_byline_and_stamp() -> None:
    caption = "[서울=뉴시스] 김나라 기자 = 시민들이 광장을 걷고 있다. 2023.09.21. kim@example.com"
    assert split_caption_credit(caption) == ("시민들이 광장을 걷고 있다.", "뉴시스 김나라 기자")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"[서울=뉴시스] 김나라 기자 = {BODY_SENTENCE}", BODY_SENTENCE),
        (f"[예시미디어=최민수의 이슈공감] {BODY_SENTENCE}", BODY_SENTENCE),
    ],
)
def test_bracketed_datelines_are_stripped(raw: str, expected: str) -> None:
    assert clean_text(f"{raw}\n{SECOND_SENTENCE}") == f"{expected}\n\n{SECOND_SENTENCE}"


@pytest.mark.parametrize(
    "text",
    [
        f"{BODY_SENTENCE}\n(END)",
        f"{BODY_SENTENCE}\n(끝)",
        f"{BODY_SENTENCE}\n☞공감언론 뉴시스 kim@example.com",
        f"{BODY_SENTENCE} (END)",
    ],
)
def test_sign_offs_are_dropped(text: str) -> None:
    assert clean_text(text) == BODY_SENTENCE


def test_deck_above_the_body_goes_and_a_subtitle_styled_intertitle_stays() -> None:
    body_html = (
        '<div id="dic_area"><strong class="media_end_summary">요약 한 줄<br>요약 두 줄</strong>'
        f"{BODY_SENTENCE}<br><br><strong class='subtitle_s1'>소제목이 여기에</strong><br>{SECOND_SENTENCE}</div>"
    )
    assert clean_article(_article(body_html)).body == "\n\n".join([BODY_SENTENCE, "소제목이 여기에", SECOND_SENTENCE])


def test_lazy_and_relative_image_sources_become_absolute() -> None:
    body_html = (
        f"<div><p>{BODY_SENTENCE}</p>"
        '<span class="end_photo_org"><img src="data:image/gif;base64,R0lG" data-src="//img.example.com/a.jpg">'
        '<em class="img_desc">판교 테크노밸리 전경. / 연합뉴스</em></span>'
        '<figure><img srcset="/b.jpg 1x, /b@2x.jpg 2x"><figcaption>두 번째 사진.</figcaption></figure>'
        f"<p>{SECOND_SENTENCE}</p></div>"
    )
    cleaned = clean_article(_article(body_html))
    assert cleaned.body == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"
    assert cleaned.images == [
        ImageRecord(src="https://img.example.com/a.jpg", caption="판교 테크노밸리 전경.", credit="연합뉴스"),
        ImageRecord(src="https://www.example.co.kr/b.jpg", caption="두 번째 사진.", credit=""),
    ]


def test_image_and_the_caption_box_after_it_are_one_photo() -> None:
    body_html = (
        f"<div><p>{BODY_SENTENCE}</p><div><img data-src='/a.jpg'></div>"
        "<div class='photo_caption'>판교 테크노밸리 전경. / 연합뉴스</div>"
        f"<p>{SECOND_SENTENCE}</p><img src='b.jpg'><span class='img_desc'>두 번째 사진.</span></div>"
    )
    cleaned = clean_article(_article(body_html))
    assert cleaned.body == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"
    assert cleaned.images == [
        ImageRecord(src="https://www.example.co.kr/a.jpg", caption="판교 테크노밸리 전경.", credit="연합뉴스"),
        ImageRecord(src="https://www.example.co.kr/news/b.jpg", caption="두 번째 사진.", credit=""),
    ]


@pytest.mark.parametrize("line", ["2026/11/20 15:44 송고", "제보는 카톡 okjebo", "비즈 > 스타트업", "홈 > 뉴스 > IT"])
def test_filing_stamps_tip_lines_and_breadcrumbs_are_dropped(line: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{line}\n{SECOND_SENTENCE}") == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"


@pytest.mark.parametrize(
    "credit", ["[연합뉴스 자료사진]", "(뉴스1 DB)", "Photo : Yonhap", "Photo by Jane Doe", "(Yonhap)"]
)
def test_wire_and_english_photo_credits_are_dropped(credit: str) -> None:
    assert clean_text(f"{BODY_SENTENCE}\n{credit}\n{SECOND_SENTENCE}") == f"{BODY_SENTENCE}\n\n{SECOND_SENTENCE}"
