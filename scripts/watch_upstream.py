"""The supervisor's hang rule for nginx under systemd: take a silent instance out of the upstream, put it back
when it answers.

    python3 scripts/watch_upstream.py /etc/nginx/conf.d/dashboard.conf [RELOAD COMMAND...]

Open-source nginx has no active health check and systemd no HTTP probe, so this runs beside them
(deploy/dashboard-watch.service). Every PROBE_INTERVAL seconds it asks each instance of the site file's upstream
(`server 127.0.0.1:PORT ...;`) for /healthz with its own PROBE_TIMEOUT, apart from any request; an instance
silent for HUNG_AFTER seconds is marked `down` in the file and nginx reloaded (default command:
`systemctl reload nginx`), and unmarked when it answers again. It never marks every instance down. A dead
instance is systemd's: `Restart=` starts it again, and its whole control group goes with its master.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import HUNG_AFTER, PROBE_INTERVAL, PROBE_TIMEOUT  # noqa: E402

SERVER = re.compile(r"^(\s*server 127\.0\.0\.1:(\d+))((?: [^;\s]+)*?)( down)?;$", re.M)


def ports(text: str) -> list[int]:
    return [int(m[2]) for m in SERVER.finditer(text)]


def marked(text: str, down: set[int]) -> str:
    """The site file with exactly the instances on `down` ports marked `down`."""
    return SERVER.sub(lambda m: f"{m[1]}{m[3]}{' down' if int(m[2]) in down else ''};", text)


def answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        return response.status == 200 and json.loads(response.read()).get("status") == "ok"
    except (OSError, http.client.HTTPException, ValueError):
        return False
    finally:
        conn.close()


def watch(site: Path, reload: list[str]) -> None:
    last_answer = {port: time.monotonic() for port in ports(site.read_text())}
    while True:
        started = time.monotonic()
        for port in last_answer:
            if answers(port):
                last_answer[port] = time.monotonic()
        now = time.monotonic()
        down = {port for port, at in last_answer.items() if now - at > HUNG_AFTER}
        if down == set(last_answer):
            down = set()
        text = site.read_text()
        if marked(text, down) != text:
            site.write_text(marked(text, down))
            print(f"down: {sorted(down) or 'none'}; reloading nginx", flush=True)
            subprocess.run(reload, check=False)
        time.sleep(max(0.0, PROBE_INTERVAL - (time.monotonic() - started)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    watch(Path(sys.argv[1]), sys.argv[2:] or ["systemctl", "reload", "nginx"])
