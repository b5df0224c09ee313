"""`newsetl mirror` serves the bundled mirror in the foreground on its fixed loopback ports until Ctrl-C, and
`--write-config` writes a newsetl.toml that points the served sites at it (the README's "Trying it by hand")."""

from __future__ import annotations

import signal
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

NEWSETL = str(Path(sys.executable).with_name("newsetl"))


def test_the_mirror_serves_until_ctrl_c_and_writes_a_config_for_it(tmp_path: Path) -> None:
    config = tmp_path / "mirror.toml"
    server = subprocess.Popen(
        [NEWSETL, "mirror", "--outlet", "zdnet", "--write-config", str(config)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        key, url = server.stdout.readline().split()
        assert key == "zdnet" and url.startswith("http://127.0.0.1:")  # 18704 unless another process has it
        assert "newsetl run --config" in server.stdout.readline()
        with urllib.request.urlopen(url + "/", timeout=10) as response:  # noqa: S310 - loopback
            assert response.status == 200 and b"<html" in response.read().lower()
        sites = tomllib.loads(config.read_text(encoding="utf-8"))["sites"]
        assert sites["zdnet"] == {"base_url": url}
        assert sites["etnews"] == {"enabled": False}
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Traceback" not in server.stderr.read()
