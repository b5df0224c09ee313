"""newsetl.toml: sites, schedule, warehouse path, limits and politeness, with documented defaults."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_NAME = "newsetl.toml"


class ConfigError(ValueError):
    pass


@dataclass(slots=True)
class SiteConfig:
    key: str
    enabled: bool = True
    base_url: str | None = None  # None: the outlet's real site


@dataclass(slots=True)
class Config:
    db_path: Path = Path("newsetl.duckdb")
    # "duckdb": the single file at db_path (one writer at a time). "ducklake": catalog + data_path, many writers.
    warehouse_backend: str = "duckdb"
    lake_catalog: str = ""  # e.g. "postgres:dbname=newsetl host=10.0.0.5 port=5432"
    lake_data_path: str = ""  # a directory or a bucket prefix for the lake's Parquet files
    cron: str = "0 * * * *"
    timezone: str = "Asia/Seoul"
    deployment: str = "scheduled"  # `prefect deployment run 'newsetl/<deployment>'`
    lock_wait_seconds: float = 600  # a scheduled run waits this long for another run's writer lock
    max_pages: int = 2000  # per site per run: a hard cap (crawl traps); 0 = no limit
    since: str = ""
    batch_size: int = 200
    timeout_seconds: float = 3600
    frontier: str = ""  # "redis://host:port/db": a crawl frontier shared by crawler processes; "" = in-process
    crawler_processes: int = 1  # crawler processes on this machine when a frontier is set
    task_runner: str = "default"  # "dask": clean and entity batches run on a Dask cluster (prefect-dask)
    dask_address: str = ""  # "tcp://scheduler:8786"; "" starts a LocalCluster of dask_workers processes per run
    dask_workers: int = 2
    # A run whose failed pages exceed this share of the pages it tried ends Failed (its articles stay stored).
    max_error_share: float = 0.5
    obey_robots_txt: bool = True
    autothrottle: bool = True
    autothrottle_start_delay: float = 1.0
    concurrent_requests_per_domain: int = 4
    download_delay: float = 0.0
    crawls_per_site: int = 1  # Prefect concurrency limit: crawls of one site running at once, across runs
    user_agent: str = "newsetl/0.1 (Korean IT news research crawler; +https://github.com/newsetl/newsetl)"
    sites: dict[str, SiteConfig] = field(default_factory=dict)
    source: Path | None = None  # the file this came from

    def lake_target(self) -> str | None:
        """The `ducklake:` target Warehouse.open takes when the ducklake backend is chosen, else None."""
        if self.warehouse_backend == "duckdb":
            return None
        if self.warehouse_backend != "ducklake":
            raise ConfigError(f"[warehouse] backend = {self.warehouse_backend!r}: expected 'duckdb' or 'ducklake'")
        if not self.lake_catalog:
            raise ConfigError('[warehouse] backend = "ducklake" needs catalog = "postgres:dbname=... host=..."')
        target = f"ducklake:{self.lake_catalog}"
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


_SECTIONS: dict[str, dict[str, str]] = {
    "warehouse": {
        "path": "db_path",
        "backend": "warehouse_backend",
        "catalog": "lake_catalog",
        "data_path": "lake_data_path",
    },
    "schedule": {
        "cron": "cron",
        "timezone": "timezone",
        "deployment": "deployment",
        "lock_wait_seconds": "lock_wait_seconds",
    },
    "crawl": {
        "max_pages": "max_pages",
        "since": "since",
        "batch_size": "batch_size",
        "timeout_seconds": "timeout_seconds",
        "frontier": "frontier",
        "crawler_processes": "crawler_processes",
    },
    "flow": {
        "task_runner": "task_runner",
        "dask_address": "dask_address",
        "dask_workers": "dask_workers",
        "max_error_share": "max_error_share",
    },
    "politeness": {
        "obey_robots_txt": "obey_robots_txt",
        "autothrottle": "autothrottle",
        "autothrottle_start_delay": "autothrottle_start_delay",
        "concurrent_requests_per_domain": "concurrent_requests_per_domain",
        "download_delay": "download_delay",
        "crawls_per_site": "crawls_per_site",
        "user_agent": "user_agent",
    },
}


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
            for key, site_values in values.items():
                if key not in config.sites:
                    raise ConfigError(f"{config_file}: [sites.{key}] names no known spider")
                site = config.sites[key]
                for name, value in site_values.items():
                    expected = {"enabled": True, "base_url": ""}.get(name)
                    if expected is None:
                        raise ConfigError(f"{config_file}: unknown key {name!r} in [sites.{key}]")
                    _check_type(config_file, f"sites.{key}", name, value, expected)
                site.enabled = site_values.get("enabled", True)
                site.base_url = site_values.get("base_url") or None
            continue
        mapping = _SECTIONS.get(section)
        if mapping is None:
            raise ConfigError(f"{config_file}: unknown section [{section}]")
        for key, value in values.items():
            if key not in mapping:
                raise ConfigError(f"{config_file}: unknown key {key!r} in [{section}]")
            default = getattr(config, mapping[key])
            _check_type(config_file, section, key, value, str(default) if isinstance(default, Path) else default)
            setattr(config, mapping[key], Path(value) if key == "path" else value)
    _check_values(config, config_file)
    return config


_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _check_type(config_file: Path, section: str, key: str, value: Any, default: Any) -> None:
    """A value must have its default's type (a whole number is fine where a number is): a wrong one is a
    one-line error naming the file, the key and what was expected, before any work starts."""
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise ConfigError(
            f"{config_file}: [{section}] {key} must be {_TYPE_NAMES.get(expected, expected.__name__)}, not {value!r}"
        )


def _check_values(config: Config, config_file: Path) -> None:
    counts = {
        "[crawl] max_pages": (config.max_pages, 0),
        "[crawl] batch_size": (config.batch_size, 1),
        "[crawl] crawler_processes": (config.crawler_processes, 1),
        "[crawl] timeout_seconds": (config.timeout_seconds, 1),
        "[schedule] lock_wait_seconds": (config.lock_wait_seconds, 0),
        "[politeness] crawls_per_site": (config.crawls_per_site, 0),
        "[politeness] concurrent_requests_per_domain": (config.concurrent_requests_per_domain, 1),
        "[politeness] download_delay": (config.download_delay, 0),
    }
    for name, (value, least) in counts.items():
        if value < least:
            raise ConfigError(f"{config_file}: {name} must be at least {least}, not {value!r}")
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


def resolve_db_path(db: str | Path | None, config: Config | None = None) -> Path:
    """--db, then $NEWSETL_DB, then the config file's path, then ./newsetl.duckdb."""
    if db:
        return Path(db)
    if os.environ.get("NEWSETL_DB"):
        return Path(os.environ["NEWSETL_DB"])
    return Path(config.db_path) if config else Path("newsetl.duckdb")


def resolve_warehouse(db: str | Path | None, config: Config | None = None, *, absolute: bool = False) -> str:
    """What Warehouse.open takes: a `ducklake:` target (from --db, $NEWSETL_DB, or the config's
    [warehouse] backend = "ducklake"), else the DuckDB file's path. Lake targets stay strings:
    a Path would fold the `//` of an s3:// data path."""
    given = str(db) if db else os.environ.get("NEWSETL_DB", "")
    if given.startswith("ducklake:"):
        return given
    lake = config.lake_target() if config and not given else None
    if lake:
        return lake
    path = resolve_db_path(db, config)
    return str(path.resolve() if absolute else path)


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
        db_path=resolve_warehouse(db, config, absolute=True),
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

    lake = parameters.db_path.startswith("ducklake:")
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
