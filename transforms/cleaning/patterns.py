"""Boilerplate patterns of Korean (and some English) news pages, kept as data in one place.

Each pattern names one form from /work/shared/notes/korean-news-boilerplate.md. The cleaning steps
in `text_steps.py` and `captions.py` only combine these; to support a new outlet's quirk, add a
pattern here rather than a special case in a step.
"""

from __future__ import annotations

import re

# --- thresholds (chosen on the Korean snippets in tests/ and the mirror pages; see comments) ---

# A line this short that ends in "기자"/"제공" is a byline/credit, never a sentence: the longest
# real byline seen ("이보배 한경닷컴 객원기자 newsinfo@example.com") is under 60 chars.
BYLINE_LINE_MAX_CHARS = 80
# Copyright notices are one short line; a longer paragraph containing "무단전재" is only cut from
# the notice onwards (some outlets glue the footer to the last paragraph).
FOOTER_LINE_MAX_CHARS = 160
# Photo captions are one or two sentences; longer text next to an image is body text.
CAPTION_MAX_CHARS = 300
# Items of a related-article list are headlines: short and not ending like a sentence.
RELATED_TITLE_MAX_CHARS = 90
# A credit after " / " in a caption is an agency or a ministry, never a clause.
CREDIT_MAX_CHARS = 40

HANGUL_NAME = r"[가-힣]{2,4}"
# "김승환·이강진·박현준", "홍길동, 김철수"
NAME_LIST = rf"{HANGUL_NAME}(?:\s*[·ㆍ,/]\s*{HANGUL_NAME})*"
REPORTER_TITLE = (
    r"(?:인턴|수습|객원|선임|수석|전문|사진|영상|스포츠|경제|정치)?\s*"
    r"(?:기자|특파원|논설위원|PD|에디터|칼럼니스트|통신원)"
)
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

# --- HTML-level clutter: class/id names of boxes inside a body container that are never text ---
CLUTTER_CLASS_PATTERN = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|adv|advert|advertisement|banner|sponsor|promo|related|relation|rel-news|"
    r"recommend|share|sns|social|reporter|reporter_area|writer|byline|profile|copyright|keyword|tags?|"
    r"comment|comments|subscribe|newsletter|popular|most-viewed|ranking|"
    r"article-ad|view-ad|dable|taboola|outbrain|sr-only|blind)(?:$|[\s_\d-])",
    re.IGNORECASE,
)
# Boxes that hold a photo and its caption but are not <figure> (legacy CMS templates).
PHOTO_CONTAINER_CLASS_PATTERN = re.compile(
    r"(?:^|[\s_-])(?:img_center|img_left|img_right|photo|photo-layout|image|img|imgbox|img_box|pic|"
    r"art_photo|news_photo|thumb)(?:$|[\s_-])",
    re.IGNORECASE,
)

# Decks and summary boxes above the body: the article's subtitle, never body text.
DECK_CLASS_PATTERN = re.compile(
    r"(?:^|[\s_-])(?:media_end_summary|summary_view|news[-_]?summary|article[-_]?summary|"
    r"sub[-_]?title|subtitle|sub[-_]?heading|article[-_]?deck)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Elements holding only a photo caption (legacy templates put it in a div next to the image).
CAPTION_CLASS_PATTERN = re.compile(
    r"(?:^|[\s_-])(?:img_caption|caption|photo_caption|photo-caption|img_desc|photo_desc|imgcaption|"
    r"figcaption|wp-caption-text)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Beside an image outside <figure> (found per image, never as a block of the body): those, or the plain
# "desc" Korean CMSs give the box under a photo (`<div class="desc">`, `<p class="txt-desc">`).
NEAR_IMAGE_CAPTION_CLASS = re.compile(rf"{CAPTION_CLASS_PATTERN.pattern}|(?:^|[\s_-])desc(?:$|[\s_-])", re.IGNORECASE)

# --- bylines ---
# "[디지털데일리 이종현기자]", "[헤럴드경제=송형근 기자]", "[피닉스(미국) =김재호 MK스포츠 특파원]"
BYLINE_BRACKET_PREFIX = re.compile(rf"^\s*[\[【〔]\s*[^\[\]【】〔〕]{{0,40}}?{REPORTER_TITLE}\s*[\]】〕]\s*")
# "(서울=뉴스1) 정재민 기자 =", "(서울=연합뉴스) 홍길동 김철수 기자 =", "(세종=뉴스1) ="
BYLINE_DATELINE_PREFIX = re.compile(
    rf"^\s*\(\s*[^()=]{{1,20}}=\s*[^()]{{1,20}}\)\s*(?:(?:{NAME_LIST}\s*)+{REPORTER_TITLE}\s*)?(?:=\s*)?"
)
# "[서울=뉴시스] 홍길동 기자 =", "[예시미디어=홍길동의 이슈공감]": a bracketed dateline or outlet tag
# holding "=" (an intertitle in brackets never does), with the byline that may follow it.
BYLINE_BRACKET_DATELINE_PREFIX = re.compile(
    rf"^\s*[\[【〔]\s*[^\[\]【】〔〕=]{{1,20}}=\s*[^\[\]【】〔〕]{{1,40}}[\]】〕]\s*"
    rf"(?:(?:{NAME_LIST}\s*)+{REPORTER_TITLE}\s*)?(?:=\s*)?"
)
# "홍길동 기자 =" at the very start of the first paragraph.
BYLINE_NAME_EQUALS_PREFIX = re.compile(rf"^\s*{NAME_LIST}\s*{REPORTER_TITLE}\s*=\s*")
# A whole line that is a byline: "홍길동 기자 hong@…", "김승환·이강진·박현준 기자hwan@…",
# "이보배 한경닷컴 객원기자 newsinfo@…", "이종현(bell@…) 기자 프로필", "기자명 홍길동 기자".
BYLINE_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"^(?:기자명\s*)?{NAME_LIST}\s*(?:[가-힣A-Za-z0-9]{{2,10}}\s*)?{REPORTER_TITLE}\s*"
        rf"(?:\(?\s*{EMAIL}\s*\)?)?\s*(?:프로필|구독|다른\s*기사\s*보기)?\s*$"
    ),
    re.compile(rf"^{NAME_LIST}\s*\(\s*{EMAIL}\s*\)\s*(?:{REPORTER_TITLE})?\s*(?:프로필)?\s*$"),
    re.compile(rf"^(?:{NAME_LIST}\s*)?{REPORTER_TITLE}?\s*{EMAIL}\s*$"),
    re.compile(rf"^{NAME_LIST}\s*{REPORTER_TITLE}\s*[\(\[]?{EMAIL}[\)\]]?.*(?:프로필|구독|기사\s*보기).*$"),
    # one word and an address: a desk's sign-off ("디지털뉴스부 desk@…"), "문의 …"
    re.compile(rf"^[^\s@]{{1,15}}\s*[\(\[]?\s*{EMAIL}\s*[\)\]]?\s*$"),
)
# A byline glued to the end of the last paragraph: "…라고 말했다. 홍길동 기자 hong@example.com"
BYLINE_TRAILING = re.compile(
    rf"(?<=[.!?。”\"'’)])\s*(?:/\s*)?{NAME_LIST}\s*(?:[가-힣]{{2,10}}\s+)?{REPORTER_TITLE}\s*"
    rf"\(?\s*{EMAIL}\s*\)?\s*$"
)

# --- sign-offs closing a story ---
# "(END)", "(끝)", "☞공감언론 뉴시스 hong@newsis.com", "▶ 홍길동 기자 hong@…": whole lines ...
SIGN_OFF_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[(<\[]\s*(?:END|끝|완|종합)\s*[)>\]]$", re.IGNORECASE),
    re.compile(r"^☞\s*공감\s*언론.*$"),
    re.compile(rf"^[▶☞▷►◆■]\s*.{{0,40}}{EMAIL}\s*$"),
)
# ... and the same glued to the end of the last paragraph: "…라고 말했다. (END)"
SIGN_OFF_TRAILING = re.compile(r"\s*[(<\[]\s*(?:END|끝)\s*[)>\]]\s*$", re.IGNORECASE)

# --- copyright footers ---
COPYRIGHT_MARKERS = re.compile(
    r"무단\s*전재|재\s*배포\s*금지|배포\s*금지|저작권자\s*[©ⓒ(]|ⓒ|©|\bcopyright\s*(?:\(c\)|\d{4})|^copyright\b|"
    r"all rights reserved",
    re.IGNORECASE,
)

# --- photo credits ---
# A whole line that is a credit: "사진=연합뉴스", "[사진=게티이미지뱅크]", "<사진=중기부 제공>", "◇스포츠조선DB"
CREDIT_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^[\[<(【]?\s*(?:사진|그래픽|자료|영상|이미지|출처|일러스트|표|도표)\s*[=:]\s*[^\]>)】]{1,50}[\]>)】]?$"
    ),
    re.compile(r"^[\[<(]?\s*(?:사진|그래픽|이미지)\s*[\]>)]?\s*ⓒ?\s*\S{1,30}$"),
    re.compile(r"^◇?\s*\S{1,20}DB$"),
    re.compile(r"^/\s*\S[^/]{0,38}$"),
    re.compile(r"^[\[(]?\s*\S{1,20}\s*제공\s*[\])]?$"),
    re.compile(
        r"^(?:AFP|AP|EPA|로이터|UPI|게티이미지(?:뱅크|코리아)?|Getty\s*Images)\s*(?:=\s*)?(?:연합뉴스|뉴스1|뉴시스)?$"
    ),
    # "[연합뉴스 자료사진]", "(뉴스1 DB)", "[연합뉴스]"
    re.compile(r"^[\[(<]\s*(?:연합뉴스|뉴스1|뉴시스)\s*(?:자료\s*)?(?:사진|DB)?\s*[\])>]$"),
    # "Photo : Yonhap", "Photo by Jane Doe", "Photo courtesy of Samsung", "(Yonhap)"
    re.compile(r"^(?:Photos?|Images?|Graphics?)\s*(?::|by|courtesy\s+of)\s*.{1,60}$", re.IGNORECASE),
    re.compile(r"^\(\s*(?:Yonhap|AP|AFP|Reuters|EPA|Getty\s*Images|Newsis|News1)\s*\)$", re.IGNORECASE),
)
# A credit that opens a paragraph: "[사진=게티이미지뱅크] 본문…", "(사진=중기부) 본문…"
CREDIT_PREFIX = re.compile(r"^\s*[\[<(【]\s*(?:사진|그래픽|자료|이미지|일러스트)\s*[=:]\s*[^\]>)】]{1,50}[\]>)】]\s*")

# --- captions: credit split ---
# "… 인사말을 하고 있다. / 중기부 제공", "…/AFP연합뉴스", "…/사진=AFPBBNews=뉴스1"
# The slash follows the end of the caption sentence (or its date): "parking / maneuvering" and
# "Interstellar/Inception" are text, not credits.
CAPTION_TRAILING_SLASH_CREDIT = re.compile(rf"(?<=[.!?。다”\"'’)\]\d])\s*/\s*([^/]{{1,{CREDIT_MAX_CHARS}}})\s*$")
# "(사진=중기부)", "[사진=연합뉴스]", "<사진 제공=카카오>" anywhere in a caption; Yonhap's "[삼성SDS 제공.
# 재판매 및 DB 금지]" (the credit is "삼성SDS 제공")
CAPTION_BRACKET_CREDIT = re.compile(
    r"\s*[\[(<【]\s*((?:사진|그래픽|자료|이미지)\s*(?:제공)?\s*[=:]?\s*[^\])>】]{1,40}|"
    r"(?:연합뉴스|뉴스1|뉴시스)\s*(?:자료\s*)?(?:사진|DB)|[^\])>】\[(<【.]{1,30}?\s*제공)"
    r"(?:\s*[.,]?\s*재판매\s*및\s*DB\s*금지\.?)?[\])>】]\s*"
)
# "[서울=뉴시스] 홍길동 기자 = …" opening a wire photo's caption: the agency and photographer.
CAPTION_LEADING_BYLINE = re.compile(
    rf"^\s*[\[(【](?!\s*(?:사진|그래픽|자료|이미지|영상|출처|일러스트)\s*(?:제공)?\s*=)"
    rf"\s*[^\[\]()【】=]{{1,20}}=\s*([^\[\]()【】]{{1,20}})[\])】]\s*((?:{NAME_LIST}\s*)+{REPORTER_TITLE})?\s*=?\s*"
)
# "… 걷고 있다. 2026.11.20. hong@newsis.com": the wire's date stamp and the photographer's address.
CAPTION_TRAILING_STAMP = re.compile(rf"(?:\s+\d{{4}}\.\s?\d{{1,2}}\.\s?\d{{1,2}}\.?)?\s*{EMAIL}\s*$")
# "▲ 직원이 장비를 점검하고 있다.": the arrow small outlets put before a caption under the photo
CAPTION_LEADING_MARK = re.compile(r"^[▲△▶▷]\s*")
# "사진=연합뉴스 " at the start of a caption
CAPTION_LEADING_CREDIT = re.compile(r"^\s*((?:사진|그래픽|자료)\s*[=:]\s*\S+(?:\s+제공)?)\s+")
# "… 나서고 있다. 연합뉴스", "… 외치고 있다. 남정탁 기자", "… 중기부 제공"
CAPTION_AGENCY_NAMES = (
    r"연합뉴스|뉴스1|뉴시스|로이터|AFP|AP|EPA|UPI|게티이미지뱅크|게티이미지코리아|Getty\s*Images|"
    r"셔터스톡|Shutterstock|아이클릭아트|픽사베이"
)
CAPTION_TRAILING_CREDIT = re.compile(
    rf"(?<=[.!?다])\s+((?:(?:{CAPTION_AGENCY_NAMES})(?:\s*=\s*(?:{CAPTION_AGENCY_NAMES}))?)|"
    rf"(?:{NAME_LIST}\s*(?:사진)?\s*기자)|(?:\S{{1,20}}\s*제공)|(?:ⓒ\s*\S{{1,30}}))\s*$"
)
# The label in front of a credit value: "사진=연합뉴스" -> "연합뉴스".
CREDIT_LABEL = re.compile(r"^(?:사진|그래픽|자료|이미지|일러스트|영상)\s*(?:제공)?\s*[=:]\s*")
# An English wire's credit closing a caption: "… in Seoul (Yonhap)", "(AP Photo)"; only at the end, where
# "LONDON (AP) — …" opening a story is its dateline.
CAPTION_TRAILING_WIRE_CREDIT = re.compile(
    r"\s*\(\s*((?:Yonhap|AP|AFP|Reuters|EPA|UPI|Xinhua|Newsis|News1|Getty\s*Images|Bloomberg)(?:\s*Photos?)?)\s*\)\s*$"
)
CAPTION_COPYRIGHT_CREDIT = re.compile(r"\s*(ⓒ\s*[^\s(]{1,30})\s*(?:\([^)]*\))?\s*$")

# --- tail and side blocks ---
# A line that opens a list of related links: the line and the headline-like lines after it go. The label may
# stand behind an arrow or bullet and inside brackets: "▶ 관련기사", "[관련기사]", "■ 많이 본 뉴스".
RELATED_LIST_MARKERS = re.compile(
    r"^[▶☞▷►→■□◆◇●○※·\-*]?\s*[\[【<〈《(]?\s*(?:관련\s*기사|관련\s*뉴스|함께\s*보면\s*좋은\s*기사|추천\s*기사|많이\s*본\s*(?:뉴스|기사)|"
    r"인기\s*기사|최신\s*기사|이\s*시각\s*(?:주요|인기)\s*뉴스|주요\s*뉴스|"
    r"related\s+(?:articles|stories|posts|coverage)|more\s+from|read\s+more|recommended(?:\s+for\s+you)?|"
    r"most\s+popular|you\s+may\s+also\s+like)\s*[\]】>〉》)]?\s*[:：]?$",
    re.IGNORECASE,
)
# Whole lines that are page furniture (buttons, labels, ad slots, prompts).
UI_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?:키워드|태그|tags?|다른\s*기사\s*보기|기사\s*보내기|SNS\s*기사\s*보내기|기사\s*공유|공유하기|공유|"
        r"구독|구독하기|좋아요|싫어요|추천|스크랩|인쇄|프린트|글씨\s*(?:크기)?|글자\s*크기|"
        r"URL\s*복사|링크\s*복사|페이스북|트위터|카카오톡|카카오스토리|네이버\s*밴드|밴드|"
        r"광고|AD|Advert|Advertisement|Sponsored|Sponsored\s+content|닫기|목록|맨\s*위로|TOP|"
        r"【\s*앵커\s*멘트\s*】|【\s*기자\s*】|<\s*앵커\s*>|<\s*기자\s*>|\[\s*앵커\s*\]|\[\s*기자\s*\]|"
        r"Share|Tweet|Email|Print|Comments?|(?:이\s*기자의\s*)?다른\s*기사\s*(?:더\s*)?보기|기자\s*페이지|관련\s*태그|"
        r"지금\s*뜨는\s*(?:뉴스|기사)|(?:AI\s*)?(?:기사\s*)?요약|글자\s*크기\s*(?:설정|조절|변경)?|"
        r"이\s*기사를\s*공유합니다)\s*[:：]?$",
        re.IGNORECASE,
    ),
    # A bracketed label or outlet name left alone on its line ("[서울경제]", "[뉴스1 바로가기]", "[속보]"); a
    # roundup's "[Engadget]" before each item is its text.
    re.compile(
        r"^[\[【]\s*(?:속보|단독|포토|영상|종합|\d보|[^\]】]{0,10}?(?:바로\s*가기|뉴스|일보|경제|신문|데일리|투데이|"
        r"타임스|미디어|닷컴|통신|방송|비즈|코리아|뉴스1|뉴시스))\s*[\]】]$"
    ),
    # A reaction bar: "좋아요 0 훈훈해요 0 슬퍼요 0 화나요 0".
    re.compile(
        r"^(?=.*(?:좋아요|싫어요|화나요|슬퍼요|훈훈해요|후속\s*요청|추천해요|응원해요))(?:[가-힣A-Za-z]{2,6}\s*\d+\s*){3,}$"
    ),
    # A note about the story, not the story: "※ 이 기사는 3월 4일자 지면에 게재됐습니다."
    re.compile(r"^※\s*이\s*기사는.{0,120}$"),
    re.compile(r"^(?:기사\s*)?댓글\s*\(?\d*\)?$"),
    # Site header links scraped together: "로그인 관리자", "로그인 회원가입 전체메뉴".
    re.compile(
        r"^(?:(?:로그인|로그아웃|회원가입|관리자|마이페이지|전체\s*메뉴|메뉴|검색|홈|고객센터|기사\s*검색)\s*){1,6}$"
    ),
    re.compile(r"^(?:키워드|태그)\s*(?:Tags?)?\s*#.*$", re.IGNORECASE),
    re.compile(r"^(?:#\s*[^\s#]+\s*){1,}$"),
    re.compile(r"^기사\s*제보\s*(?:및|&)?\s*보도\s*자료.*$"),
    re.compile(
        r"^[▶☞▷►→]\s*.{0,60}(?:구독|바로\s*가기|관련\s*기사|클릭|채널\s*추가|친구\s*추가|기사\s*보기|다운로드|"
        r"받아\s*보세요|만나\s*보세요|확인하세요|신청하기|참여하기).*$"
    ),
    # Prompts, not sentences: a line ending in "…다." that mentions subscribing is reporting.
    re.compile(
        r"^(?!.*[다요]\.$).{0,40}(?:구독하기|구독\s*신청|구독해\s*주세요|뉴스레터\s*신청|채널\s*추가|앱\s*다운로드).{0,20}$"
    ),
    # English page furniture of the same kinds (generic extraction of foreign outlets).
    re.compile(
        r"^(?:order\s+reprints|print\s+article|reprints|continue\s+reading|an\s+error\s+has\s+occurred.{0,40}|"
        r"(?:write|reach|contact)\s+(?:to\s+)?[A-Z][\w.'\- ]{1,40}\s+at\s+\S+@\S+)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:updated|published|posted|last\s+updated)(?:\s+at|\s+on)?\s*:?\s*[\w ,.:/-]{0,40}\d[\w ,.:/-]{0,30}$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:기사\s*)?(?:입력|수정|승인|등록|업데이트|송고|최종\s*수정|발행|게재)\s*[:：]?\s*"
        r"\d{4}[.\-/]\s*\d{1,2}[.\-/]\s*\d{1,2}.*$"
    ),
    # Wire filing stamps and tip lines: "2023/09/21 15:44 송고", "2024-03-12 17:20 최종수정", "제보는 카톡 okjebo".
    re.compile(r"^\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\.?\s+\d{1,2}:\d{2}\s*(?:송고|입력|(?:최종\s*)?수정|등록)$"),
    re.compile(r"^제보는\s*(?:카카오톡|카톡)\s*\S{0,20}$"),
    # The outlet asking readers for tips under every story ("◎공감언론 뉴시스가 독자 여러분의 소중한 제보를
    # 기다립니다. … 보내주시면 적극 반영하겠습니다."): news narration never asks in the polite imperative; a
    # quoted appeal (a police chief's) keeps its quotes and stays. It also says where to send (an address, a
    # messenger, 보내주시면) or whom it asks (독자 여러분): a broadcast script's "… 제보를 받습니다" is reporting.
    re.compile(
        r"^(?!.*[\"“”])(?=.*(?:@|카카오톡|카톡|전화|메일|보내|(?:독자|시청자)\s*여러분|[◎※▶☞]))"
        r".{0,80}제보.{0,200}(?:기다립니다|보내\s*주시면|보내\s*주세요|받습니다|뉴스가\s*됩니다).{0,200}$"
    ),
    # Breadcrumbs and section labels: "비즈 > 스타트업", "홈 > 뉴스 > IT".
    re.compile(r"^[^\s>»›][^>»›]{0,14}(?:\s*[>»›]\s*[^>»›]{1,15}){1,4}$"),
)

# --- text normalisation ---
ZERO_WIDTH_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Quote normalisation maps stray variants onto the marks Korean newsrooms use (“ ” ‘ ’); those
# and 「」『』 are kept as written: the quoted text and its marks are part of the article.
QUOTE_TRANSLATION = str.maketrans(
    {
        "\u201e": "\u201c",  # „ low double quote
        "\u201f": "\u201c",  # ‟ reversed double quote
        "\u2033": "\u201d",  # ″ double prime used as a closing quote
        "\u301d": "\u201c",  # 〝
        "\u301e": "\u201d",  # 〞
        "\u301f": "\u201d",  # 〟
        "\uff02": '"',  # fullwidth "
        "\u201a": "\u2018",  # ‚ low single quote
        "\u201b": "\u2018",  # ‛ reversed single quote
        "\u2032": "\u2019",  # ′ prime used as an apostrophe
        "\uff07": "'",  # fullwidth '
    }
)
# TeX-style ``quotes'' left by some CMS exports.
TEX_QUOTES = ((re.compile(r"``"), "\u201c"), (re.compile(r"''"), "\u201d"))
SPACE_RUN = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
SENTENCE_END = re.compile(r"[.!?。…\"')\]다요음함됨]\s*$")
