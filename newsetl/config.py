"""newsetl.toml: sites, schedule, warehouse path, limits and politeness, with documented defaults."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import typing
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from spiders.settings import USER_AGENT

DEFAULT_CONFIG_NAME = "newsetl.toml"
# The warehouse when neither --db, $NEWSETL_DB nor the config names one.
DEFAULT_DB_PATH = Path("newsetl.duckdb")
DB_ENV_VAR = "NEWSETL_DB"
# A warehouse target that starts with this is a DuckLake (`ducklake:<catalog>[?data_path=...]`), else a file path.
LAKE_SCHEME = "ducklake:"


class ConfigError(ValueError):
    pass


def setting(default: Any, section: str, key: str = "", *, at_least: float | None = None) -> Any:
    """A Config field that newsetl.toml sets as `[section] key` (key: the field's name when not given), with its
    type from the field's annotation and, for counts and durations, the least value it may take."""
    return field(default=default, metadata={"section": section, "key": key, "at_least": at_least})


@dataclass(slots=True)
class SiteConfig:
    key: str = field(metadata={"fixed": True})
    enabled: bool = True
    base_url: str | None = None  # None: the outlet's real site


@dataclass(slots=True)
class Config:
    """The settings model: each field says where newsetl.toml sets it and what type it takes; load_config checks
    a file against it, so a setting is declared once, here."""

    db_path: Path = setting(DEFAULT_DB_PATH, "warehouse", "path")
    # "duckdb": the single file at db_path (one writer at a time). "ducklake": catalog + data_path, many writers.
    warehouse_backend: str = setting("duckdb", "warehouse", "backend")
    lake_catalog: str = setting("", "warehouse", "catalog")  # e.g. "postgres:dbname=newsetl host=10.0.0.5 port=5432"
    lake_data_path: str = setting("", "warehouse", "data_path")  # a directory or a bucket prefix for Parquet files
    cron: str = setting("0 * * * *", "schedule")
    timezone: str = setting("Asia/Seoul", "schedule")
    deployment: str = setting("scheduled", "schedule")  # `prefect deployment run 'newsetl/<deployment>'`
    # A scheduled run waits this long for another run's writer lock.
    lock_wait_seconds: float = setting(600, "schedule", at_least=0)
    max_pages: int = setting(2000, "crawl", at_least=0)  # per site per run: a hard cap (crawl traps); 0 = no limit
    since: str = setting("", "crawl")
    batch_size: int = setting(200, "crawl", at_least=1)
    timeout_seconds: float = setting(3600, "crawl", at_least=1)
    # "redis://host:port/db": a crawl frontier shared by crawler processes; "" = in-process.
    frontier: str = setting("", "crawl")
    crawler_processes: int = setting(1, "crawl", at_least=1)  # crawler processes on this machine with a frontier
    task_runner: str = setting("default", "flow")  # "dask": clean and entity batches run on a Dask cluster
    # "tcp://scheduler:8786"; "" starts a LocalCluster of dask_workers processes per run.
    dask_address: str = setting("", "flow")
    dask_workers: int = setting(2, "flow")
    # A run whose failed pages exceed this share of the pages it tried ends Failed (its articles stay stored).
    max_error_share: float = setting(0.5, "flow")  # checked as a share (0-1) by _check_values
    obey_robots_txt: bool = setting(True, "politeness")
    autothrottle: bool = setting(True, "politeness")
    autothrottle_start_delay: float = setting(1.0, "politeness")
    concurrent_requests_per_domain: int = setting(4, "politeness", at_least=1)
    download_delay: float = setting(0.0, "politeness", at_least=0)
    # Prefect concurrency limit: crawls of one site running at once, across runs.
    crawls_per_site: int = setting(1, "politeness", at_least=0)
    user_agent: str = setting(USER_AGENT, "politeness")
    sites: dict[str, SiteConfig] = field(default_factory=dict)
    source: Path | None = None  # the file this came from

    def lake_target(self) -> str | None:
        """The `ducklake:` target warehouse.open takes when the ducklake backend is chosen, else None."""
        if self.warehouse_backend == "duckdb":
            return None
        if self.warehouse_backend != "ducklake":
            raise ConfigError(f"[warehouse] backend = {self.warehouse_backend!r}: expected 'duckdb' or 'ducklake'")
        if not self.lake_catalog:
            raise ConfigError('[warehouse] backend = "ducklake" needs catalog = "postgres:dbname=... host=..."')
        target = f"{LAKE_SCHEME}{self.lake_catalog}"
        return f"{target}?data_path={self.lake_data_path}" if self.lake_data_path else target

    def enabled_sites(self) -> list[str]:
        return [key for key, site in self.sites.items() if site.enabled]

    def scrapy_settings(self) -> dict[str, Any]:
        return {
            "ROBOTSTXT_OBEY": self.obey_robots_txt,
            "AUTOTHROTTLE_ENABLED": self.autothrottle,
            "AUTOTHROTTLE_START_DELAY": self.autothrottle_start_delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": self.concurrent_requests_per_domain,
            "DOWNLOAD_DELAY": self.download_delay,
            "USER_AGENT": self.user_agent,
        }


def is_lake_target(target: object) -> bool:
    """Whether a warehouse target names a DuckLake rather than a DuckDB file."""
    return str(target).startswith(LAKE_SCHEME)


def warehouse_target(db: str | Path | None, config: Config | None = None, *, absolute: bool = False) -> str:
    """The warehouse every command, the writer lock and the store use: --db, then $NEWSETL_DB, then the config's
    [warehouse] (its DuckLake, else its path), then ./newsetl.duckdb. A lake target stays a string, untouched:
    a Path would fold the `//` of an s3:// data path. `absolute` makes a file path absolute (flow parameters)."""
    given = str(db) if db else os.environ.get(DB_ENV_VAR, "")
    if given and is_lake_target(given):
        return given
    if not given and config is not None and (lake := config.lake_target()):
        return lake
    path = Path(given) if given else Path(config.db_path) if config else DEFAULT_DB_PATH
    return str(path.resolve() if absolute else path)


def find_config_file(path: str | Path | None = None) -> Path | None:
    if path:
        return Path(path)
    if os.environ.get("NEWSETL_CONFIG"):
        return Path(os.environ["NEWSETL_CONFIG"])
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    return local if local.exists() else None


def load_config(path: str | Path | None = None) -> Config:
    """Defaults, overlaid by the config file if there is one. Unknown keys are errors, not silence."""
    from spiders.runner import available_sites

    config = Config(sites={key: SiteConfig(key) for key in available_sites()})
    config_file = find_config_file(path)
    if config_file is None:
        return config
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{config_file}: config file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file}: not valid TOML: {exc}") from exc
    config.source = config_file
    for section, values in data.items():
        if section == "sites":
            _apply_sites(config, config_file, values)
            continue
        section_settings = _SETTINGS.get(section)
        if section_settings is None:
            raise ConfigError(f"{config_file}: unknown section [{section}]")
        for key, value in values.items():
            if key not in section_settings:
                raise ConfigError(f"{config_file}: unknown key {key!r} in [{section}]")
            name, expected = section_settings[key]
            _check_type(config_file, section, key, value, expected)
            setattr(config, name, Path(value) if expected is Path else value)
    _check_values(config, config_file)
    return config


def _setting_types(model: type) -> dict[str, type]:
    """Each field's type from its annotation (`X | None` is X: the file can only give a value)."""
    hints = typing.get_type_hints(model)
    return {
        name: next(arg for arg in typing.get_args(hint) if arg is not type(None)) if typing.get_args(hint) else hint
        for name, hint in hints.items()
    }


def _settings_by_section() -> dict[str, dict[str, tuple[str, type]]]:
    """[section] -> key -> (Config field, type): the settings model read as the file's layout."""
    types = _setting_types(Config)
    sections: dict[str, dict[str, tuple[str, type]]] = {}
    for item in fields(Config):
        if "section" in item.metadata:
            key = item.metadata["key"] or item.name
            sections.setdefault(item.metadata["section"], {})[key] = (item.name, types[item.name])
    return sections


_SETTINGS = _settings_by_section()
_SITE_SETTINGS = {
    name: kind
    for name, kind in _setting_types(SiteConfig).items()
    if not SiteConfig.__dataclass_fields__[name].metadata
}


def _apply_sites(config: Config, config_file: Path, values: dict[str, Any]) -> None:
    for key, site_values in values.items():
        if key not in config.sites:
            raise ConfigError(f"{config_file}: [sites.{key}] names no known spider")
        site = config.sites[key]
        for name, value in site_values.items():
            if name not in _SITE_SETTINGS:
                raise ConfigError(f"{config_file}: unknown key {name!r} in [sites.{key}]")
            _check_type(config_file, f"sites.{key}", name, value, _SITE_SETTINGS[name])
        site.enabled = site_values.get("enabled", True)
        site.base_url = site_values.get("base_url") or None


def load_config_or_none() -> Config | None:
    """The config for commands that only read the warehouse: a broken config file leaves them on the defaults."""
    try:
        return load_config()
    except ValueError:
        return None


_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _check_type(config_file: Path, section: str, key: str, value: Any, expected: type) -> None:
    """A value must have its setting's type (a whole number is fine where a number is; a path is a string):
    a wrong one is a one-line error naming the file, the key and what was expected, before any work starts."""
    if expected is Path:
        expected = str
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise ConfigError(
            f"{config_file}: [{section}] {key} must be {_TYPE_NAMES.get(expected, expected.__name__)}, not {value!r}"
        )


def _check_values(config: Config, config_file: Path) -> None:
    for item in fields(Config):
        least = item.metadata.get("at_least")
        value = getattr(config, item.name)
        if least is not None and value < least:
            section, key = item.metadata["section"], item.metadata["key"] or item.name
            raise ConfigError(f"{config_file}: [{section}] {key} must be at least {least}, not {value!r}")
    if share_problem := error_share_problem(config.max_error_share):
        raise ConfigError(f"{config_file}: [flow] max_error_share {share_problem}")
    if config.since:
        problem = date_problem(config.since)
        if problem:
            raise ConfigError(f"{config_file}: [crawl] since {problem}")


def date_problem(text: str) -> str | None:
    """Why `text` is not a calendar date in YYYY-MM-DD form (None when it is one)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return f"must be a date as YYYY-MM-DD, not {text!r}"
    return None


def error_share_problem(share: float) -> str | None:
    """Why `share` is not a share of pages (None when it is one, 0 to 1)."""
    return None if 0 <= share <= 1 else f"must be between 0 and 1, not {share!r}"


@dataclass(frozen=True, slots=True)
class RunParameters:
    """Everything one pipeline run needs, arguments and config file applied (JSON-serialisable)."""

    db_path: str
    sites: dict[str, str | None] = field(default_factory=dict)  # outlet key -> base URL (None: the real site)
    start_urls: list[str] = field(default_factory=list)
    max_pages: int | None = None
    since: str | None = None
    batch_size: int = 200
    scrapy_settings: dict[str, Any] = field(default_factory=dict)
    crawl_timeout_seconds: float = 3600
    lock_wait_seconds: float = 0.0
    crawls_per_site: int = 1
    frontier: str = ""
    crawler_processes: int = 1
    task_runner: str = "default"
    dask_address: str = ""
    dask_workers: int = 2
    max_error_share: float = 0.5

    @property
    def site_keys(self) -> list[str]:
        """The spiders this run starts: its outlets, and the generic one for start URLs."""
        return sorted(self.sites) + (["generic"] if self.start_urls else [])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_parameters(
    *,
    db: str | Path | None = None,
    sites: Sequence[str] | None = None,
    start_urls: Sequence[str] = (),
    max_pages: int | None = None,
    since: str | None = None,
    config_path: str | Path | None = None,
    base_urls: dict[str, str] | None = None,
    scrapy_settings: dict[str, Any] | None = None,
    lock_wait_seconds: float | None = 0.0,
    max_error_share: float | None = None,
) -> RunParameters:
    """One run's parameters: the arguments checked, the config file applied. Raises ValueError on a mistake.

    Used before a manual run starts its flow, and at the start of a deployment's run (which reads its config
    file then, so edits apply from the next run); `lock_wait_seconds=None` takes the config's (scheduled runs
    wait, manual ones fail fast)."""
    from transforms.ids import start_url_problem

    config = load_config(config_path)
    unknown = [key for key in sites or () if key not in config.sites]
    if unknown:
        raise ValueError(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(config.sites))}")
    if since and (problem := date_problem(since)):
        raise ValueError(f"--since {problem}")
    if max_pages is not None and max_pages < 0:
        raise ValueError(f"--max-pages must be 0 (no limit) or more, not {max_pages}")
    if max_error_share is not None and (problem := error_share_problem(max_error_share)):
        raise ValueError(f"--max-error-share {problem}")
    bad_urls = [f"{url!r}: {problem}" for url in start_urls if (problem := start_url_problem(url))]
    if bad_urls:
        raise ValueError(f"bad --start-url {'; '.join(bad_urls)}")
    keys = list(sites) if sites else ([] if start_urls else config.enabled_sites())
    overrides = base_urls or {}
    parameters = RunParameters(
        db_path=warehouse_target(db, config, absolute=True),
        sites={key: overrides.get(key) or config.sites[key].base_url for key in keys},
        start_urls=list(start_urls),
        max_pages=(max_pages if max_pages is not None else config.max_pages) or None,
        since=since or config.since or None,
        batch_size=config.batch_size,
        scrapy_settings=config.scrapy_settings() | (scrapy_settings or {}),
        crawl_timeout_seconds=config.timeout_seconds,
        lock_wait_seconds=config.lock_wait_seconds if lock_wait_seconds is None else lock_wait_seconds,
        crawls_per_site=config.crawls_per_site,
        frontier=config.frontier,
        crawler_processes=config.crawler_processes,
        task_runner=config.task_runner,
        dask_address=config.dask_address,
        dask_workers=config.dask_workers,
        max_error_share=config.max_error_share if max_error_share is None else max_error_share,
    )
    if missing := missing_scale_out(parameters):
        raise ConfigError(missing)
    return parameters


# The scale-out stack is the optional extra `scale` (pyproject.toml): each feature, the modules it needs.
SCALE_OUT_MODULES = {
    "a shared crawl frontier ([crawl] frontier)": ("scrapy_redis", "redis"),
    'the Dask task runner ([flow] task_runner = "dask")': ("prefect_dask", "distributed"),
    "a DuckLake warehouse": ("duckdb_extension_ducklake",),
    "a DuckLake catalog in PostgreSQL": ("duckdb_extension_postgres_scanner",),
}


def missing_scale_out(parameters: RunParameters, modules: dict[str, tuple[str, ...]] = SCALE_OUT_MODULES) -> str | None:
    """A one-line error when the run asks for a scale-out feature whose extra is not installed (looked up
    without importing it), else None."""
    import importlib.util

    lake = is_lake_target(parameters.db_path)
    wanted = {
        "a shared crawl frontier ([crawl] frontier)": bool(parameters.frontier),
        'the Dask task runner ([flow] task_runner = "dask")': parameters.task_runner == "dask",
        "a DuckLake warehouse": lake,
        "a DuckLake catalog in PostgreSQL": lake and parameters.db_path.startswith("ducklake:postgres:"),
    }
    for feature, needed in modules.items():
        absent = [name for name in needed if wanted[feature] and importlib.util.find_spec(name) is None]
        if absent:
            return f"{feature} needs the scale-out extra ({', '.join(absent)} missing): pip install 'newsetl[scale]'"
    return None
