"""Cache keys for the tasks worth caching.

Entity tagging is the costly stage (Kiwi analysis plus CRF per article). Its output depends only on
the article texts, their dates and the extractor (model file and code), so a batch seen before -
typically the batches a killed or failed run already tagged - is served from Prefect's result
cache instead of being tagged again. Batches are cut from articles in a stable order so that a
re-run forms the same batches.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

ENTITY_PACKAGE = "transforms.entities"


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Hash of the entity package's code and data files: a retrained model or changed rule is a new key."""
    digest = hashlib.sha256()
    root = resources.files(ENTITY_PACKAGE)
    stack = [root]
    files = []
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif not entry.name.endswith(".pyc"):
                files.append(entry)
    # The entity stage also returns search terms: their rules are part of what it computes.
    files.append(resources.files("transforms").joinpath("terms.py"))
    for entry in sorted(files, key=lambda item: str(item)):
        digest.update(str(entry).encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()


def entities_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Prefect cache_key_fn for `extract-entities`: the batch's texts and dates plus the extractor."""
    digest = hashlib.sha256(extractor_fingerprint().encode())
    for article in parameters["articles"]:
        for part in (article.article_id, article.published_at or "", article.body):
            digest.update(part.encode())
            digest.update(b"\0")
    return "newsetl-entities-" + digest.hexdigest()
