"""Synthetic mirror data for benchmarks: N original Korean IT-news articles spread over the mirror's outlets.

Sentences come from templates and word lists written for this module (fictional companies and people), so the
text reads like trade-press copy without copying any real article. The output is the same JSON contract as
`mirror/data/<outlet>.json`, so `MirrorServer(data_dir=...)` serves it with the real renderers.

    python bench/synth.py --n 5000 --out /tmp/synth-5000

`synthetic_outlet_articles` yields article dicts lazily, for runs too long to hold in memory.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from mirror.catalog import KST, OUTLETS, check_outlet, load_outlet, outlet_from_dict

# Outlet names and section codes mirror the bundled data's structure (not its text).
OUTLET_META: dict[str, tuple[str, dict[str, str]]] = {
    "itchosun": ("IT조선", {"S1N1": "AI·클라우드", "S1N2": "스타트업", "S1N3": "정책"}),
    "bloter": ("블로터", {"S1N1": "테크", "S1N2": "스타트업", "S1N3": "게임"}),
    "aitimes": ("AI타임스", {"S1N1": "산업", "S1N2": "정책", "S1N3": "스타트업"}),
    "zdnet": ("지디넷코리아", {"0010": "방송/통신", "0020": "컴퓨팅", "0040": "인터넷"}),
    "etnews": ("전자신문", {"03": "반도체·전자", "04": "SW·플랫폼", "06": "통신·정책"}),
    "ddaily": ("디지털데일리", {"ict": "통신·방송", "security": "보안", "semicon": "반도체"}),
    "dt": ("디지털타임스", {"ict": "IT·과학", "industry": "산업·재계", "policy": "정책"}),
    "platum": ("플래텀", {"startup": "스타트업", "investment": "투자", "global": "글로벌"}),
}
MAIL_DOMAIN = {
    "itchosun": "itchosun.example",
    "bloter": "bloter.example",
    "aitimes": "aitimes.example",
    "zdnet": "zdnet.example",
    "etnews": "etnews.example",
    "ddaily": "ddaily.example",
    "dt": "dt.example",
    "platum": "platum.example",
}
# First numeric id per outlet (ND-Soft idxno, dt article, WordPress post); zdnet/etnews/ddaily ids derive
# from the date. IT Chosun's idxno has 13 digits starting 2023092, dt's 8 digits.
ID_BASE = {"itchosun": 2023092400000, "bloter": 700000, "aitimes": 900000, "dt": 13000000, "platum": 380000}
# Outlets whose CMS has no subtitle field.
NO_SUBTITLE = frozenset({"platum"})
# Publication window, inside catalog.EARLIEST_PUBLISHED..LATEST_PUBLISHED.
WINDOW_START = datetime(2026, 10, 1, 8, 0, tzinfo=KST)
WINDOW_SECONDS = 54 * 24 * 3600

# --- word lists (fictional firms and people; real ministries and places) -----------------------------------

COMPANIES = (
    "누리클라우드",
    "별빛에이아이",
    "다온로보틱스",
    "새벽데이터",
    "가람시큐리티",
    "미르반도체",
    "하늬모빌리티",
    "온결헬스케어",
    "바로페이",
    "솔빛에너지",
    "한결소프트",
    "아라네트웍스",
    "여울게임즈",
    "푸른칩스",
    "도담엣지",
    "마루스페이스",
    "이음커머스",
    "라온비전",
    "늘봄에듀테크",
    "보람통신",
)
SURNAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황")
GIVEN_NAMES = (
    "도윤",
    "서연",
    "하준",
    "지우",
    "민재",
    "수아",
    "예준",
    "채원",
    "시우",
    "지안",
    "주원",
    "하린",
    "건우",
    "윤서",
    "현우",
    "다은",
    "준서",
    "소율",
    "태윤",
    "가온",
)
TITLES = ("대표", "부사장", "최고기술책임자(CTO)", "연구소장", "사업부장", "상무", "본부장")
MINISTRIES = ("과학기술정보통신부", "중소벤처기업부", "산업통상자원부", "개인정보보호위원회", "방송통신위원회")
PLACES = ("서울", "판교", "부산", "대전", "광주", "대구", "인천 송도", "세종", "울산", "제주")
TOPICS = (
    "생성형 AI",
    "클라우드 보안",
    "반도체 후공정",
    "자율주행 소프트웨어",
    "양자암호 통신",
    "디지털 헬스케어",
    "온디바이스 AI",
    "데이터센터 냉각",
    "전력 반도체",
    "초거대 언어모델",
    "로봇 자동화",
    "핀테크 결제",
    "6G 통신",
    "사이버 위협 탐지",
    "스마트팩토리",
    "메타버스 교육",
)
PRODUCTS = ("플랫폼", "솔루션", "칩", "서비스", "모델", "장비", "앱", "엔진")
VENUES = ("코엑스", "벡스코", "판교 테크노밸리", "킨텍스", "본사", "서울 강남 사옥", "대전 연구소")
PARTNER_KINDS = ("글로벌 클라우드 기업", "국내 통신사", "완성차 업체", "대학 연구팀", "지방자치단체", "금융지주")
AMOUNTS = ("30억원", "150억원", "1200억원", "2조3000억원", "500억 원", "80억원", "3억5000만원", "700억원")
PERCENTS = ("12%", "35%", "48%", "2배", "20% 이상", "3분의 1")
CREDITS = ("연합뉴스", "사진=회사 제공", "게티이미지뱅크", "본지 촬영", "뉴스1")

# Sentence templates: {firm}, {person}, {title}, {topic}... are filled per article so the text stays coherent.
LEAD_TEMPLATES = (
    "{firm}(이) {topic} 분야의 신규 {product}(을) 공개하고 국내외 시장 공략에 나섰다.",
    "{firm}(이) {amount} 규모의 투자를 유치하며 {topic} 사업 확대에 속도를 낸다.",
    "{ministry}(이) {topic} 산업 육성을 위해 {amount}(을) 투입하는 지원 사업을 내놓았다.",
    "{firm}(이) {partner}(와) 손잡고 {topic} 공동 개발에 착수했다고 {day}일 밝혔다.",
    "{place}에 {topic} 거점이 들어선다. {firm}(은) {day}일 {venue}에서 착공식을 열었다.",
)
BODY_TEMPLATES = (
    "{person} {firm} {title}(은) \u201c{topic} 기술은 이제 선택이 아니라 생존의 문제\u201d라며 "
    "\u201c올해 안에 상용화를 마치겠다\u201d고 말했다.",
    "회사는 이번 {product}이 기존 제품보다 처리 속도를 {percent} 높였고 전력 소모는 줄였다고 설명했다.",
    "{ministry}(은) 다음 달 중 세부 공모 계획을 공고하고 선정 기업에 최대 {amount}(을) 지원할 예정이다.",
    "업계에서는 {topic} 수요가 빠르게 늘면서 관련 인력 확보 경쟁도 치열해질 것으로 보고 있다.",
    "{firm}(은) 지난해 매출 {amount}(을) 기록했으며 이 가운데 해외 비중이 {percent}에 이른다.",
    "행사에는 {partner} 관계자와 스타트업 대표 등 200여 명이 참석해 협력 방안을 논의했다.",
    "{person} {title}(은) {day}일 {venue}에서 열린 간담회에서 향후 3년간의 로드맵을 직접 발표했다.",
    "시장조사업체들은 국내 {topic} 시장이 2030년까지 연평균 {percent} 성장할 것으로 내다봤다.",
    "다만 일부 전문가는 규제 불확실성과 인프라 부족이 확산의 걸림돌이 될 수 있다고 지적했다.",
    "{firm}(은) {place}에 연구개발 센터를 새로 열고 개발자 채용을 두 배로 늘리기로 했다.",
    "이번 협력으로 {partner}(은) 자체 서비스에 {firm}의 {product}(을) 우선 적용하게 된다.",
    "회사 측은 \u201c고객 데이터는 국내 리전에만 저장되며 외부 학습에 쓰이지 않는다\u201d고 강조했다.",
    "{ministry} 관계자는 \u201c현장의 목소리를 반영해 절차를 간소화하겠다\u201d고 밝혔다.",
    "투자에는 기존 주주와 함께 벤처캐피털 세 곳이 새로 참여한 것으로 알려졌다.",
    "{firm}(은) 상반기 중 {place} 지역 고객사를 대상으로 시범 운영을 시작한다.",
    "경쟁사들도 비슷한 {product} 출시를 준비하고 있어 연말까지 가격 경쟁이 이어질 전망이다.",
)
HEADING_TEMPLATES = (
    "{topic} 시장 선점 경쟁 본격화",
    "\u201c{topic}, 올해가 분수령\u201d",
    "{amount} 투입\u2026 {place}에 거점",
    "글로벌 진출은 {partner}(와) 함께",
)
TITLE_TEMPLATES = (
    "{firm}, {topic} {product} 공개\u2026\u201c시장 판도 바꾼다\u201d",
    "{firm}, {amount} 투자 유치\u2026{topic} 사업 확대",
    "{ministry}, {topic} 육성에 {amount} 투입",
    "{firm}\u00b7{partner} 맞손\u2026{topic} 공동 개발",
    "[인터뷰] {person} {firm} {title} \u201c{topic}(으로) 세계 무대 선다\u201d",
)
SUBTITLE_TEMPLATES = ("{place}서 시범 서비스 시작", "{percent} 성능 개선\u2026연내 상용화 목표", "")
CAPTION_TEMPLATES = (
    "{person} {firm} {title}(이) {day}일 {venue}에서 신규 {product}(을) 소개하고 있다.",
    "{firm} 연구원들이 {place} 연구센터에서 {topic} 장비를 점검하고 있다.",
)


# "(이)" after a slot picks 이/가 by whether the word before it ends in a final consonant (batchim).
PARTICLE_PAIRS = {
    "이": ("이", "가"),
    "은": ("은", "는"),
    "을": ("을", "를"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
}
_PARTICLE = re.compile(r"(.)\((이|은|을|와|으로)\)")
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
# Final-consonant reading of the digits and letters a slot value may end in ("30억원" ends in a syllable).
CONSONANT_FINAL_NON_HANGUL = set("0136780LMNR)")


def _ends_in_consonant(char: str) -> bool:
    code = ord(char)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        return (code - HANGUL_FIRST) % 28 != 0
    return char.upper() in CONSONANT_FINAL_NON_HANGUL


def _attach_particles(text: str) -> str:
    def pick(match: re.Match[str]) -> str:
        with_final, without_final = PARTICLE_PAIRS[match.group(2)]
        char = match.group(1)
        if match.group(2) == "으로" and 0xAC00 <= ord(char) <= HANGUL_LAST and (ord(char) - HANGUL_FIRST) % 28 == 8:
            return char + without_final  # ㄹ-final words take 로
        return char + (with_final if _ends_in_consonant(char) else without_final)

    return _PARTICLE.sub(pick, text)


def _fill(template: str, slots: dict[str, str]) -> str:
    return _attach_particles(template.format(**slots))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _slots(rng: random.Random, published: datetime) -> dict[str, str]:
    firm = rng.choice(COMPANIES)
    return {
        "firm": firm,
        "partner": rng.choice([c for c in COMPANIES if c != firm] + list(PARTNER_KINDS)),
        "person": _person(rng),
        "title": rng.choice(TITLES),
        "ministry": rng.choice(MINISTRIES),
        "place": rng.choice(PLACES),
        "topic": rng.choice(TOPICS),
        "product": rng.choice(PRODUCTS),
        "venue": rng.choice(VENUES),
        "amount": rng.choice(AMOUNTS),
        "percent": rng.choice(PERCENTS),
        "day": str(published.day),
    }


def _paragraph(rng: random.Random, slots: dict[str, str], sentences: int) -> str:
    chosen = rng.sample(BODY_TEMPLATES, sentences)
    return " ".join(_fill(template, slots) for template in chosen)


def _article_id(outlet: str, number: int, published: datetime, day_counter: dict[str, int]) -> str:
    if outlet == "zdnet":
        return published.strftime("%Y%m%d%H%M%S")
    day = published.strftime("%Y%m%d")
    sequence = day_counter[day] = day_counter.get(day, 0) + 1
    if outlet == "etnews":
        return f"{day}{sequence:06d}"
    if outlet == "ddaily":
        return f"{published.strftime('%Y%m%d%H%M%S')}{sequence:05d}"
    return str(ID_BASE[outlet] + number)


def _photo_src(outlet: str, article_id: str, published: datetime, position: int) -> str:
    month = published.strftime("%Y%m")
    day_path = published.strftime("%Y/%m/%d")
    if outlet in ("itchosun", "bloter", "aitimes"):
        return f"/news/photo/{month}/{article_id}_{position}.jpg"
    if outlet == "zdnet":
        return f"/images/{day_path}/{article_id}_{position}.jpg"
    if outlet == "etnews":
        return f"/news/article/{day_path}/article_{article_id}_{position}.jpg"
    if outlet == "ddaily":
        return f"/photos/{day_path}/{article_id}_{position}.jpg"
    if outlet == "platum":
        return f"/wp-content/uploads/{published.strftime('%Y/%m')}/{article_id}_{position}.jpg"
    return f"/news/legacy/contents/images/{month}/{article_id}_{position}.jpg"


def synthetic_outlet_articles(outlet: str, count: int, seed: int = 0) -> Iterator[dict]:
    """`count` article dicts for `outlet` in the mirror's JSON contract, oldest first, deterministic per seed."""
    rng = random.Random(f"{seed}:{outlet}")
    sections = list(OUTLET_META[outlet][1])
    # Even spacing keeps every zdnet id (its timestamp to the second) unique.
    step = max(1, WINDOW_SECONDS // max(1, count))
    day_counter: dict[str, int] = {}
    previous_ids: list[str] = []
    for number in range(count):
        published = WINDOW_START + timedelta(seconds=number * step + rng.randrange(step) // 2)
        published = published.replace(microsecond=0)
        article_id = _article_id(outlet, number, published, day_counter)
        slots = _slots(rng, published)
        blocks: list[dict[str, str]] = [{"type": "p", "text": _fill(rng.choice(LEAD_TEMPLATES), slots)}]
        for index in range(rng.randint(4, 9)):
            if index == 2:
                blocks.append({"type": "h", "text": _fill(rng.choice(HEADING_TEMPLATES), slots)})
            if index in (1, 5) and rng.random() < 0.6:
                blocks.append(
                    {
                        "type": "figure",
                        "src": _photo_src(outlet, article_id, published, len(blocks)),
                        "caption": _fill(rng.choice(CAPTION_TEMPLATES), slots),
                        "credit": rng.choice(CREDITS),
                    }
                )
            blocks.append({"type": "p", "text": _paragraph(rng, slots, rng.randint(2, 4))})
        writer = _person(rng)
        modified = published + timedelta(hours=rng.randint(1, 5)) if rng.random() < 0.3 else None
        yield {
            "id": article_id,
            "section": rng.choice(sections),
            "title": _fill(rng.choice(TITLE_TEMPLATES), slots),
            "subtitle": "" if outlet in NO_SUBTITLE else _fill(rng.choice(SUBTITLE_TEMPLATES), slots),
            "published": published.isoformat(),
            "modified": modified.isoformat() if modified else None,
            "authors": [{"name": writer, "email": f"writer{number % 97}@{MAIL_DOMAIN[outlet]}"}],
            "blocks": blocks,
            "keywords": [slots["topic"], slots["firm"]],
            "related": rng.sample(previous_ids, min(2, len(previous_ids))) if previous_ids else [],
        }
        previous_ids = (previous_ids + [article_id])[-20:]


def per_outlet_counts(total: int, outlets: tuple[str, ...] = OUTLETS) -> dict[str, int]:
    """Split `total` articles as evenly as possible over the outlets."""
    base, extra = divmod(total, len(outlets))
    return {outlet: base + (1 if index < extra else 0) for index, outlet in enumerate(outlets)}


def write_synthetic_mirror(out_dir: Path, total: int, seed: int = 0, check: bool = True) -> Path:
    """Write `<out_dir>/<outlet>.json` for all the outlets holding `total` articles in all; returns out_dir.

    A directory already holding a matching manifest is reused as is (generation is deterministic).
    """
    out_dir = Path(out_dir)
    manifest = {"total": total, "seed": seed, "version": 2}
    manifest_path = out_dir / "synth.json"
    if manifest_path.is_file() and json.loads(manifest_path.read_text(encoding="utf-8")) == manifest:
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for outlet, count in per_outlet_counts(total).items():
        name, sections = OUTLET_META[outlet]
        data = {
            "outlet": outlet,
            "name": name,
            "sections": sections,
            "articles": list(synthetic_outlet_articles(outlet, count, seed)),
        }
        (out_dir / f"{outlet}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if check:
            problems = check_outlet(load_outlet(outlet, out_dir))
            if problems:
                raise ValueError(f"synthetic {outlet} data breaks the contract: {problems[:5]}")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return out_dir


def outlet_shell(outlet: str) -> dict:
    """The outlet's JSON object without articles (for building one-article Outlets on the fly)."""
    name, sections = OUTLET_META[outlet]
    return {"outlet": outlet, "name": name, "sections": sections, "articles": []}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic N-article mirror data dir.")
    parser.add_argument("--n", type=int, default=5000, help="articles in all, split over the outlets")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_synthetic_mirror(args.out, args.n, args.seed)
    print(args.out)


__all__ = [
    "OUTLET_META",
    "outlet_from_dict",
    "outlet_shell",
    "per_outlet_counts",
    "synthetic_outlet_articles",
    "write_synthetic_mirror",
]

if __name__ == "__main__":
    main()
