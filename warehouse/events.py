"""Deals and appointments as Arrow tables per load batch; warehouse.store.Warehouse.load_batch writes them
with load_events.sql inside the batch's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa

from transforms.events.model import ArticleEvents, Party

# (entity type, key) -> entity id: warehouse.store.entity_id, passed in so this module needs nothing of store's.
EntityId = Callable[[str, str], str]

_DEAL_TYPES = {
    "deal_id": pa.string(),
    "article_id": pa.string(),
    "position": pa.int32(),
    "kind": pa.string(),
    "company": pa.string(),
    "company_entity_id": pa.string(),
    "amount": pa.string(),
    "amount_text": pa.string(),
    "currency": pa.string(),
    "amount_krw": pa.int64(),
    "round": pa.string(),
    "event_date": pa.string(),
    "sentence": pa.string(),
    "start_char": pa.int32(),
    "end_char": pa.int32(),
}
_INVESTOR_TYPES = {
    "deal_id": pa.string(),
    "position": pa.int32(),
    "investor": pa.string(),
    "entity_id": pa.string(),
    "lead": pa.bool_(),
}
_APPOINTMENT_TYPES = {
    "appointment_id": pa.string(),
    "article_id": pa.string(),
    "position": pa.int32(),
    "kind": pa.string(),
    "person": pa.string(),
    "person_entity_id": pa.string(),
    "title": pa.string(),
    "org": pa.string(),
    "org_entity_id": pa.string(),
    "event_date": pa.string(),
    "sentence": pa.string(),
    "start_char": pa.int32(),
    "end_char": pa.int32(),
}


def _entity(party: Party | None, entity_id: EntityId) -> str | None:
    """The entities row a party's mention loaded (None for a name read from the wording)."""
    if party is None or party.type is None or party.key is None:
        return None
    return entity_id(party.type, party.key)


def _table(rows: list[dict[str, Any]], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array([row[name] for row in rows], kind) for name, kind in types.items()})


def event_tables(events: Mapping[str, ArticleEvents], entity_id: EntityId) -> dict[str, pa.Table]:
    """Rows of deals, deal_investors and appointments for each article id's events."""
    deals: list[dict[str, Any]] = []
    investors: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    for article_id, found in events.items():
        for position, deal in enumerate(found.deals):
            deal_id = f"{article_id}:{position}"
            currency = None if deal.amount is None else ("KRW" if deal.amount.isdigit() else deal.amount.split()[0])
            deals.append(
                {
                    "deal_id": deal_id,
                    "article_id": article_id,
                    "position": position,
                    "kind": deal.kind,
                    "company": deal.company.name if deal.company else None,
                    "company_entity_id": _entity(deal.company, entity_id),
                    "amount": deal.amount,
                    "amount_text": deal.amount_text,
                    "currency": currency,
                    "amount_krw": deal.amount_krw,
                    "round": deal.round,
                    "event_date": deal.date,
                    "sentence": deal.sentence,
                    "start_char": deal.start,
                    "end_char": deal.end,
                }
            )
            for number, investor in enumerate(deal.investors):
                investors.append(
                    {
                        "deal_id": deal_id,
                        "position": number,
                        "investor": investor.name,
                        "entity_id": _entity(investor, entity_id),
                        "lead": investor.lead,
                    }
                )
        moves.extend(_appointment_rows(article_id, found, entity_id))
    return {
        "incoming_event_articles": pa.table({"article_id": pa.array(list(events), pa.string())}),
        "incoming_deals": _table(deals, _DEAL_TYPES),
        "incoming_deal_investors": _table(investors, _INVESTOR_TYPES),
        "incoming_appointments": _table(moves, _APPOINTMENT_TYPES),
    }


def _appointment_rows(article_id: str, found: ArticleEvents, entity_id: EntityId) -> list[dict[str, Any]]:
    return [
        {
            "appointment_id": f"{article_id}:{position}",
            "article_id": article_id,
            "position": position,
            "kind": move.kind,
            "person": move.person.name,
            "person_entity_id": _entity(move.person, entity_id),
            "title": move.title,
            "org": move.org.name if move.org else None,
            "org_entity_id": _entity(move.org, entity_id),
            "event_date": move.date,
            "sentence": move.sentence,
            "start_char": move.start,
            "end_char": move.end,
        }
        for position, move in enumerate(found.appointments)
    ]
