"""The `newsetl` command line: one library call per command."""


def main() -> None:
    raise SystemExit("not yet")
