"""One short, declarative file per outlet."""
