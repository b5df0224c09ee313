"""`newsetl entities` input handling: lines split on LF only, one bad byte costs only its own line (named on
stderr, an error object in its place, exit 1 at the end), and a bad --published-at is refused before tagging."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsetl.api import BadLine, text_lines

NEWSETL = str(Path(sys.executable).with_name("newsetl"))


def test_lines_split_on_lf_only_and_decoded_one_by_one() -> None:
    raw = "첫 줄\r\n".encode() + b"\xff\xfe\n" + "가운데\r줄\n".encode() + "끝".encode()
    assert text_lines(raw) == ["첫 줄", BadLine(2, "not UTF-8: byte 0xff at byte 1 of the line"), "가운데\r줄", "끝"]
    assert text_lines(b"") == []


def test_a_bad_line_is_named_and_the_others_are_tagged(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(
        "네이버가 판교에서 발표했다.\n".encode() + b"\xc3\x28 broken\n" + "카카오가 서울에서 말했다.\n".encode()
    )
    result = subprocess.run([NEWSETL, "entities", str(source)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    first, bad, third = (json.loads(line) for line in result.stdout.splitlines())
    assert bad == {"line": 2, "error": "not UTF-8: byte 0xc3 at byte 1 of the line"}
    assert "네이버" in {entity["text"] for entity in first["entities"]}
    assert "카카오" in {entity["text"] for entity in third["entities"]}
    assert result.stderr.strip() == "newsetl: line 2: not UTF-8: byte 0xc3 at byte 1 of the line; skipped"


def test_a_published_at_that_is_not_a_date_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("오늘 발표했다.\n", encoding="utf-8")
    result = subprocess.run(
        [NEWSETL, "entities", "--published-at", "yesterday", str(source)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "newsetl: error: --published-at must be an ISO date or date-time (2026-12-01), not 'yesterday'"
    ]
