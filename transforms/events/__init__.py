"""Deals and people moves found in an article's sentences from its entity mentions (no second Kiwi pass).

`find_events(text, mentions, published_at)` is pure: the pipeline calls it beside the entity stage and the
warehouse stores what it returns; `events_jsonl` is `newsetl events`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence

from transforms.entities.gazetteer import person_titles
from transforms.events.appointments import APPOINTMENT_VERB, find_appointments
from transforms.events.common import party
from transforms.events.deals import DEAL_WORDS, find_deals, follow_up_amount, follow_up_investors
from transforms.events.model import APPOINTMENT_KINDS, DEAL_KINDS, Appointment, ArticleEvents, Deal, Party
from transforms.events.sentences import sentences
from transforms.records import Mention

__all__ = [
    "APPOINTMENT_KINDS",
    "DEAL_KINDS",
    "Appointment",
    "ArticleEvents",
    "Deal",
    "Party",
    "events_jsonl",
    "find_events",
    "find_events_many",
]

# Sentences worth the rules: a deal word or an appointment verb (most sentences have neither).
_WANTED = re.compile(f"{DEAL_WORDS.pattern}|{APPOINTMENT_VERB.pattern}")


# A sentence naming "this round's" investors belongs to the deal just before it, not to one paragraphs back.
FOLLOW_UP_DISTANCE = 300


def find_events(text: str, mentions: Sequence[Mention], published_at: str | None = None) -> ArticleEvents:
    """Deals and appointments reported in `text`, given its entity mentions (offsets into `text`)."""
    events = ArticleEvents()
    titles = person_titles()
    # "회사는 …를 유치했다" before any deal: the company is the article's first named organisation.
    topic = next((party(m) for m in sorted(mentions, key=lambda m: m.start) if m.type == "ORG"), None)
    for sentence in sentences(text, mentions, _WANTED):
        if topic is None:
            # "스타트업 박스워크는 …. 회사는 …를 유치했다": a company the wording names stands for 회사 too.
            topic = next((party(m) for m in sentence.named() if m.type == "ORG"), None)
        previous = events.deals[-1].company if events.deals else topic
        deals = find_deals(sentence, published_at, previous)
        if deals:
            events.deals.extend(deals)
        elif events.deals and sentence.start - events.deals[-1].end <= FOLLOW_UP_DISTANCE:
            known = {investor.name for investor in events.deals[-1].investors}
            extra = [investor for investor in follow_up_investors(sentence) if investor.name not in known]
            events.deals[-1].investors.extend(extra)
            amount = follow_up_amount(sentence) if events.deals[-1].amount is None else None
            if amount is not None:
                deal, (money, krw) = events.deals[-1], amount
                deal.amount, deal.amount_text, deal.amount_krw = money.normalized, money.surface, krw
        events.appointments.extend(find_appointments(sentence, published_at, titles, previous))
    return events


def find_events_many(
    texts: Sequence[str], mentions: Sequence[Sequence[Mention]], published_at: Sequence[str | None]
) -> list[ArticleEvents]:
    """Events per article for a load batch: an article the rules fail on keeps its text and mentions and gets no
    events, rather than failing its whole batch (find_events itself raises, for tests and `newsetl events`)."""
    found = []
    for text, article_mentions, published in zip(texts, mentions, published_at, strict=True):
        try:
            found.append(find_events(text, article_mentions, published))
        except Exception:  # noqa: BLE001 - one article's events must not cost the batch its load
            found.append(ArticleEvents())
    return found


def events_jsonl(lines: Iterable[str], published_at: str | None = None, batch_size: int = 256) -> Iterator[str]:
    """One `{"deals": [...], "appointments": [...]}` JSON line per input line, in order (`newsetl events`)."""
    from transforms.entities import tag_lines

    for text, mentions in tag_lines(lines, published_at, batch_size):
        yield json.dumps(find_events(text, mentions, published_at).to_dict(), ensure_ascii=False)
