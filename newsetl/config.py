"""newsetl.toml: sites, schedule, warehouse path, limits and politeness, with documented defaults."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class SiteConfig:
    key: str
    enabled: bool = True
    base_url: str | None = None  # None: the outlet's real site


@dataclass(slots=True)
class Config:
    db_path: Path = DEFAULT_DB_PATH
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
    obey_robots_txt: bool = True
    autothrottle: bool = True
    autothrottle_start_delay: float = 1.0
    concurrent_requests_per_domain: int = 4
    download_delay: float = 0.0
    crawls_per_site: int = 1  # Prefect concurrency limit: crawls of one site running at once, across runs
    user_agent: str = USER_AGENT
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


def load_config_or_none() -> Config | None:
    """The config for commands that only read the warehouse: a broken config file leaves them on the defaults."""
    try:
        return load_config()
    except ValueError:
        return None


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
