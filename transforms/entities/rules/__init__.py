"""From tagged spans to Mention records: MONEY/DATE rules, person titles and organisations,
and in-article alias resolution (중기부 -> 중소벤처기업부, 문 대통령 -> 문재인).

`build_mentions` and the two cascades here give the order of the rules in one place; the rules live beside:
`common` (constants and helpers the rule modules share), `spans` (the tagger's spans dropped, trimmed or
extended), `people`, `organisations` and `places` (the rules of each type), `aliases` (references and their
resolution through the document)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import TokenColumns, TokenLike, token_columns
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.normalize import find_dates, find_money
from transforms.entities.rules.aliases import (
    full_names_of_references,
    propagate_names,
    resolve_hanja_glosses,
    resolve_organisations,
    resolve_people,
    surname_title_mentions,
)
from transforms.entities.rules.common import KIND_TO_TYPE, SpanIndex, known_as
from transforms.entities.rules.organisations import (
    add_affiliations_between,
    add_firms_by_ending,
    add_known_organisations,
    add_parenthesised_abbreviations,
    companies_by_legal_form,
    described_companies,
    founded_organisations,
    join_city_and_police_station,
    listed_companies_as_organisations,
    listed_people_as_organisations,
    offices_as_organisations,
    organisations_named_as_affiliations,
    split_joined_names,
)
from transforms.entities.rules.people import (
    drop_scoped_posts,
    foreign_family_names_as_people,
    people_before_affiliations,
    person_or_organisation_by_majority,
    rejoin_split_name,
    split_latin_company_from_person,
    split_person_organisation,
    trim_scoped_posts,
)
from transforms.entities.rules.places import (
    add_places_after_place_nouns,
    add_places_by_ending,
    add_places_the_training_forms_know,
    extend_through_glossed_units,
    extend_through_place_heads,
    extend_through_spaced_place_heads,
    join_place_chains,
    split_address_from_body,
    split_leading_country,
)
from transforms.entities.rules.spans import (
    drop_common_nouns,
    drop_model_names,
    drop_places_in_derived_words,
    drop_quoted_products,
    drop_surnames_of_common_words,
    drop_tense_of_post,
    drop_verb_stems,
    extend_onto_common_terms,
    extend_onto_firm_kinds,
    extend_to_word_start,
    trim_glued_area_nouns,
)
from transforms.entities.subtoken import trim_to_entity
from transforms.records import Mention


def build_mentions(
    text: str,
    tokens: Sequence[TokenLike] | TokenColumns,
    spans: list[tuple[int, int, str]],
    anchor: date | None,
    gazetteer: Gazetteer,
    entity_forms: EntityForms | None = None,
) -> list[Mention]:
    """Mentions in text order, with canonical names and person attributes filled in. `tokens`: Kiwi's tokens
    of `text`, or their columns (each token attribute read once)."""
    forms = entity_forms or EntityForms({})
    tokens = token_columns(tokens)
    mentions = _mentions_of_spans(text, tokens, spans, forms, gazetteer)
    mentions = _names_by_rules(text, tokens, mentions, forms, gazetteer)
    taken = [(mention.start, mention.end) for mention in mentions]
    mentions += surname_title_mentions(text, tokens, mentions, taken, gazetteer)
    mentions += full_names_of_references(text, tokens, mentions, forms, gazetteer)
    taken_spans = SpanIndex((mention.start, mention.end) for mention in mentions)
    for start, end, value in find_money(text):
        if not taken_spans.overlaps(start, end):
            mentions.append(Mention(start, end, text[start:end], "MONEY", text[start:end], value))
    for start, end, value in find_dates(text, anchor):
        if not taken_spans.overlaps(start, end):
            mentions.append(Mention(start, end, text[start:end], "DATE", text[start:end], value))
    mentions.sort(key=lambda mention: mention.start)
    resolve_organisations(text, mentions, gazetteer)
    resolve_people(text, mentions, gazetteer)
    resolve_hanja_glosses(text, mentions)
    return mentions


def _mentions_of_spans(
    text: str, tokens: TokenColumns, spans: list[tuple[int, int, str]], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """The tagger's spans as mentions, trimmed to the name, without the words that are no names, and run on
    through what KLUE spans with them (a word's start, a glued term, a place noun, a glossed unit)."""
    spans = trim_to_entity(
        text,
        tokens,
        spans,
        gazetteer.places.__contains__,
        lambda form, kind: known_as(form, kind, forms, gazetteer),
    )
    mentions = [
        Mention(start, end, text[start:end], KIND_TO_TYPE[kind], text[start:end])
        for start, end, kind in spans
        if kind in KIND_TO_TYPE
    ]
    mentions = drop_common_nouns(tokens, mentions, forms, gazetteer)
    mentions = drop_verb_stems(tokens, mentions)
    mentions = drop_surnames_of_common_words(tokens, mentions)
    mentions = drop_quoted_products(text, mentions)
    mentions = drop_model_names(text, mentions)
    mentions = extend_to_word_start(text, tokens, mentions)
    mentions = extend_onto_common_terms(text, tokens, mentions, gazetteer)
    mentions = extend_onto_firm_kinds(text, mentions)
    mentions = extend_through_place_heads(text, tokens, mentions)
    mentions = extend_through_glossed_units(text, tokens, mentions)
    return extend_through_spaced_place_heads(text, mentions)


def _names_by_rules(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """The IT-news rules over the tagger's names: types, splits and joins, names it missed, and each name
    carried through the document."""
    # a post is no name (`최고기술책임자` read as 최 + a given name; KLUE tags no post as a name)
    mentions = [mention for mention in mentions if mention.surface not in gazetteer.titles]
    mentions = drop_scoped_posts(text, mentions)
    mentions = trim_scoped_posts(mentions)
    mentions = offices_as_organisations(mentions)
    mentions = listed_companies_as_organisations(mentions, gazetteer)
    mentions = trim_glued_area_nouns(mentions)
    mentions = drop_places_in_derived_words(text, mentions)
    mentions = split_joined_names(mentions, forms, gazetteer)
    mentions = [rejoin_split_name(text, mention, forms, gazetteer) for mention in mentions]
    mentions = split_leading_country(tokens, mentions, forms, gazetteer)
    mentions = split_address_from_body(mentions, gazetteer)
    mentions = join_city_and_police_station(text, mentions, gazetteer)
    mentions = add_known_organisations(text, tokens, mentions, gazetteer)
    mentions = add_firms_by_ending(text, tokens, mentions, gazetteer)
    mentions = add_places_by_ending(text, tokens, mentions, forms)
    mentions = add_places_after_place_nouns(text, tokens, mentions)
    mentions = add_places_the_training_forms_know(text, tokens, mentions, forms)
    mentions = join_place_chains(text, tokens, mentions, gazetteer)
    listed_people_as_organisations(text, mentions, forms, gazetteer)
    mentions = described_companies(text, tokens, mentions, gazetteer)
    mentions = split_latin_company_from_person(mentions, gazetteer)
    mentions = split_person_organisation(text, mentions, forms, gazetteer)
    mentions = drop_tense_of_post(text, mentions, gazetteer)
    organisations_named_as_affiliations(text, mentions, forms, gazetteer)
    mentions = add_affiliations_between(text, tokens, mentions, gazetteer)
    mentions = add_parenthesised_abbreviations(text, mentions, gazetteer)
    people_before_affiliations(text, mentions, forms, gazetteer)
    mentions = founded_organisations(text, tokens, mentions, forms, gazetteer)
    mentions = companies_by_legal_form(text, tokens, mentions)
    foreign_family_names_as_people(mentions)
    person_or_organisation_by_majority(mentions)
    return propagate_names(text, tokens, mentions, gazetteer)
