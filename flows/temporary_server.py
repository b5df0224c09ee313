"""Prefect's temporary (ephemeral) API server: started by Prefect in this process when no server is configured."""

from __future__ import annotations


def stop_temporary_servers() -> None:
    """Stop every temporary server this process started (best effort: used on the way out of a stopped run)."""
    try:
        from prefect.server.api.server import SubprocessASGIServer
    except ImportError:
        return
    for server in list(SubprocessASGIServer._instances.values()):
        try:
            server.stop()
        except Exception:  # noqa: BLE001, S112 - best effort on the way out
            continue
