"""Event records: deals (money in, funds, M&A, IPOs, grants) and people moves, each tied to its sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Deal kinds and appointment kinds, as stored in the warehouse.
DEAL_KINDS = ("investment", "fund", "acquisition", "ipo", "grant")
APPOINTMENT_KINDS = ("선임", "취임", "영입", "내정", "사임", "퇴임")


@dataclass(slots=True)
class Party:
    """A company, investor, person or organisation named in an event sentence.

    `canonical` is the entity mention's resolved name; `type` is None when the name was read from the
    sentence's wording and no entity mention covers it (the warehouse then links it to no entity)."""

    name: str
    type: str | None = None
    start: int = -1
    end: int = -1
    lead: bool = False
    key: str | None = None  # the mention's canonical name: with `type`, the entity it names

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.lead:
            data["lead"] = True
        return data


@dataclass(slots=True)
class Deal:
    kind: str  # one of DEAL_KINDS
    company: Party | None
    amount: str | None  # the MONEY mention's normalized value: KRW digits, or "USD 5000000"
    amount_text: str | None  # the amount as written ("50억원")
    amount_krw: int | None  # KRW value: the amount in won, or the won figure given beside another currency
    round: str | None  # 시드, 프리A, 시리즈A..., 브릿지, 프리IPO
    investors: list[Party] = field(default_factory=list)
    date: str | None = None  # resolved like DATE mentions: YYYY-MM-DD, YYYY-MM or YYYY
    sentence: str = ""
    start: int = 0  # the sentence's offsets in the text
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "company": self.company.name if self.company else None,
            "amount": self.amount,
            "amount_krw": self.amount_krw,
            "amount_text": self.amount_text,
            "round": self.round,
            "investors": [investor.to_dict() for investor in self.investors],
            "date": self.date,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Appointment:
    kind: str  # one of APPOINTMENT_KINDS
    person: Party
    title: str | None
    org: Party | None
    date: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "person": self.person.name,
            "title": self.title,
            "org": self.org.name if self.org else None,
            "date": self.date,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class ArticleEvents:
    deals: list[Deal] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "deals": [deal.to_dict() for deal in self.deals],
            "appointments": [appointment.to_dict() for appointment in self.appointments],
        }
