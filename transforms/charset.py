"""Turn fetched page bytes into text with the right Korean encoding.

Korean outlets still serve EUC-KR/CP949 pages, often declaring the charset only in a <meta> tag
(or nowhere). Order of trust: BOM > HTTP header > <meta> > strict UTF-8 > CP949.
EUC-KR is always decoded as CP949, its superset: pages labelled EUC-KR routinely contain
CP949-only syllables (e.g. "똠", "햏") that a strict EUC-KR codec would turn into errors.
"""

from __future__ import annotations

import codecs
import re

# How far into the page to look for <meta charset>; browsers use the first 1024 bytes, but
# Korean CMS templates put long comment/script blocks first, so we look further.
META_SCAN_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that must be read as CP949 (a superset of all of them for Korean text).
_CP949_ALIASES = frozenset(
    {
        "euc-kr",
        "euckr",
        "euc_kr",
        "ks_c_5601-1987",
        "ks_c_5601",
        "ksc5601",
        "ksc_5601",
        "cp949",
        "uhc",
        "windows-949",
        "ms949",
        "x-windows-949",
        "korean",
        "csksc56011987",
        "iso-ir-149",
    }
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def normalize_charset(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None if unknown/empty."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if not cleaned:
        return None
    if cleaned in _CP949_ALIASES:
        return "cp949"
    try:
        name = codecs.lookup(cleaned).name
    except LookupError:
        return None
    if name in {"euc_kr", "cp949"}:
        return "cp949"
    # A page declared as latin-1/ascii is almost always really windows-1252 (browsers do the same).
    if name in {"latin_1", "iso8859-1", "ascii"}:
        return "cp1252"
    return name


def charset_from_content_type(content_type: str | None) -> str | None:
    """Extract the charset parameter of a Content-Type header value."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^;\"'\s]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset declared by <meta charset> or <meta http-equiv content="...charset=...">."""
    match = _META_CHARSET.search(body[:META_SCAN_BYTES])
    if not match:
        return None
    return match.group(1).decode("ascii", errors="ignore")


def _decode_with(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode page bytes: BOM > HTTP header charset > <meta> > strict UTF-8 > CP949.

    `header_charset` may be a bare label ("euc-kr") or a whole Content-Type value. A declared
    charset that fails to decode the page strictly is skipped in favour of the next source;
    the last resort decodes CP949 with replacement characters so this never raises.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")

    header_label = header_charset
    if header_charset and "charset" in header_charset.lower():
        header_label = charset_from_content_type(header_charset)
    for label in (header_label, sniff_meta_charset(body)):
        text = _decode_with(body, normalize_charset(label))
        if text is not None:
            return text

    text = _decode_with(body, "utf-8")
    if text is not None:
        return text
    text = _decode_with(body, "cp949")
    if text is not None:
        return text
    # Mixed or damaged bytes: pick whichever decoding loses fewer characters.
    as_utf8 = body.decode("utf-8", errors="replace")
    as_cp949 = body.decode("cp949", errors="replace")
    return as_utf8 if as_utf8.count("\ufffd") <= as_cp949.count("\ufffd") else as_cp949


# File signatures of what servers (and users) most often hand over as if it were a page.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x00\x00\x00", "binary data"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")  # ESC appears in ISO-2022-KR pages


def binary_kind(body: bytes) -> str | None:
    """What `body` is when it is not text at all ("a PNG image", "binary data"); None for text of any encoding.

    Pages are text in some charset: UTF-16 carries a BOM, every other charset a page uses avoids NUL and
    most C0 control bytes, so a NUL or many control bytes early on mean the bytes are not a page."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for signature, kind in _BINARY_SIGNATURES:
        if body.startswith(signature):
            return kind
    if body[4:8] == b"ftyp" or (body.startswith(b"RIFF") and body[8:12] in (b"WEBP", b"WAVE", b"AVI ")):
        return "a media file"
    head = body[:4096]
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return "binary data" if head and controls > len(head) // 20 else None
