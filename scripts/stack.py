"""The production stack on loopback: nginx (deploy/nginx.conf) in front of INSTANCES gunicorn instances.

    scripts/serve-stack PORT INSTANCES

Each instance is `gunicorn -c gunicorn.conf.py dashboard.app:server` on its own loopback port, all on the same
data (DASHBOARD_DATA_DIR, else data/; WEB_CONCURRENCY workers each), in a process group of its own. Everything
runs in the foreground, as the current user, with nginx's configuration, temporary files and pid in a temporary
directory. SIGTERM or Ctrl-C stops it all; if this process is killed, the instances stop too (PR_SET_PDEATHSIG).

Any process may die or hang: an instance whose master dies (alone or with its workers) is started again on its
port once what is left of its group is stopped; a thread per instance probes /healthz, and an instance silent
for HUNG_AFTER seconds leaves nginx's upstream until it answers again, one silent for RESTART_AFTER is killed
and started again. During a roll (below) the probes go on but nothing is changed until it ends.

SIGHUP rolls the instances onto the data as it is now (after `python -m dashboard import`, or with
DASHBOARD_DATA_DIR a symlink switched to another directory): one by one, a new instance starts on a new port,
and only once it answers /healthz does nginx send it the requests of the old one (a graceful reload: requests
under way finish where they started), then the old one stops gracefully. If the new data is refused, the roll
stops and the remaining instances keep the old data. Status lines go to stdout, logs to stderr.
"""

from __future__ import annotations

import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard.limits import PROXY_READ_TIMEOUT  # noqa: E402  (no imports of its own: not the app)

SITE = ROOT / "deploy" / "nginx.conf"
# Time an instance has to load and validate its data; then it counts as failed.
START_TIMEOUT = 120
# gunicorn's graceful timeout (its worker timeout) plus a margin: requests under way finish before an instance
# is stopped.
STOP_TIMEOUT = PROXY_READ_TIMEOUT
# The supervisor's own probe of each instance (see Instance), apart from any request timeout.
PROBE_INTERVAL = 0.5
PROBE_TIMEOUT = 2.0
HUNG_AFTER = 3.0
# An instance silent this long after it had answered is killed and started again (a hang that does not pass:
# a deadlock, a stopped process); requests still waiting on it then go to another instance.
RESTART_AFTER = float(os.environ.get("DASHBOARD_RESTART_HUNG_AFTER", "60"))
# How long orphaned workers of a dead master get to finish before they are killed.
ORPHAN_GRACE = 3.0
TICK = 0.2
UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (.*);$", re.M)
MAIN = """worker_processes auto;
{user}pid {dir}/nginx.pid;
error_log stderr warn;
daemon off;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    access_log off;
    include {dir}/dashboard.conf;
}}
"""


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_config(listen_port: int, ports: list[int]) -> str:
    """deploy/nginx.conf listening on 127.0.0.1:listen_port, its upstream listing `ports`."""
    text = SITE.read_text()
    servers = UPSTREAM_SERVER.findall(text)
    if not servers or "    listen 80;\n" not in text:
        raise SystemExit(f"{SITE}: expected `listen 80;` and upstream `server 127.0.0.1:PORT ...;` lines")
    indent, options = servers[0]
    lines = "\n".join(f"{indent}server 127.0.0.1:{port} {options};" for port in ports)
    text = UPSTREAM_SERVER.sub("", text, count=len(servers) - 1)
    text = UPSTREAM_SERVER.sub(lambda _: lines, text, count=1)
    return text.replace("    listen 80;\n", f"    listen 127.0.0.1:{listen_port};\n")


def children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def terminate(proc: subprocess.Popen, sig: int, timeout: float) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Instance:
    """One gunicorn instance of the dashboard on a loopback port, in its own process group, probed by a thread.

    The probe asks /healthz every PROBE_INTERVAL seconds with its own PROBE_TIMEOUT, apart from any request:
    an instance is answering while its last answer, from this instance's own master, is at most HUNG_AFTER
    seconds old. A slow request does not delay the probe (another thread of a worker answers it), so a slow
    first answer after a restart is never mistaken for a hang, and nothing cuts it.
    """

    def __init__(self, number: int, port: int):
        self.number, self.port = number, port
        env = dict(os.environ, DASHBOARD_STOP_WITH_PARENT="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
            + ["dashboard.app:server"],
            cwd=ROOT,
            env=env,
            # Its own group: when the master dies alone, its orphaned workers are stopped with the group.
            process_group=0,
        )
        self.version = ""
        self.last_answer = 0.0
        self.started = time.monotonic()
        self.stopping = threading.Event()
        self.prober = threading.Thread(target=self._probe, daemon=True)
        self.prober.start()

    def health(self, timeout: float = PROBE_TIMEOUT) -> str | None:
        """The data version /healthz reports, or None when this instance's master's app does not answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            answer = json.loads(response.read()) if response.status == 200 else {}
            return answer["data_version"] if answer.get("instance") == self.proc.pid else None
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            return None
        finally:
            conn.close()

    def _probe(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            version = self.health()
            if version:
                self.version, self.last_answer = version, time.monotonic()
            self.stopping.wait(max(0.0, PROBE_INTERVAL - (time.monotonic() - started)))

    def silent_too_long(self) -> bool:
        """Silent for RESTART_AFTER seconds since its last answer, or START_TIMEOUT without a first one."""
        since, limit = (self.last_answer, RESTART_AFTER) if self.last_answer else (self.started, START_TIMEOUT)
        return self.proc.poll() is None and time.monotonic() - since > limit

    def answering(self) -> bool:
        return bool(self.last_answer) and time.monotonic() - self.last_answer <= HUNG_AFTER

    def ready(self) -> bool:
        """Wait until /healthz answers (True), or the instance exits or takes too long (False)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            if self.answering():
                say(f"instance {self.number}: pid {self.proc.pid}, port {self.port}, data {self.version}")
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Graceful: gunicorn finishes the requests under way, then exits; then nothing of its group is left."""
        self.stopping.set()
        terminate(self.proc, signal.SIGTERM, STOP_TIMEOUT)
        self.clear_group(0)

    def clear_group(self, grace: float) -> None:
        """Stop what is left of this instance's process group (workers whose master died): SIGTERM, and after
        `grace` seconds SIGKILL. They close their listening socket at once (dashboard/worker.py)."""
        self.stopping.set()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and group_alive(self.proc.pid):
                time.sleep(0.05)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


class Nginx:
    """nginx on 127.0.0.1:port in front of the instances, its files in `workdir`."""

    def __init__(self, workdir: Path, port: int, ports: list[int]):
        self.workdir, self.port = workdir, port
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (workdir / name).mkdir()
        # Run as the current user: as root, nginx would otherwise hand its workers to `nobody`.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
        (workdir / "nginx.conf").write_text(MAIN.format(dir=workdir, user=user))
        self.write(ports)
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", "stderr"]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit(f"nginx refused its configuration:\n{check.stderr}")
        self.proc = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while not self._listening():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start on 127.0.0.1:{port}")
            time.sleep(0.05)

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def write(self, ports: list[int]) -> None:
        (self.workdir / "dashboard.conf").write_text(site_config(self.port, ports))

    def reload(self, ports: list[int], wait: bool = True) -> None:
        """Send new requests to `ports` only. With `wait`, returns once no worker of the old configuration is
        left, so no request is still on its way to an instance that left the list; without, at once (requests
        under way on an instance taken out finish there)."""
        self.write(ports)
        old = children(self.proc.pid)
        self.proc.send_signal(signal.SIGHUP)
        if not wait:
            return
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            now = children(self.proc.pid)
            if now and not now & old:
                return
            time.sleep(0.05)
        say("nginx: workers of the old configuration still busy after 35 s; going on")

    def stop(self) -> None:
        terminate(self.proc, signal.SIGQUIT, 10)


class Stack:
    def __init__(self):
        self.instances: list[Instance] = []
        self.nginx: Nginx | None = None
        self.rotation: list[int] = []

    def start(self, port: int, count: int, workdir: Path) -> None:
        self.instances = [Instance(number, free_port()) for number in range(1, count + 1)]
        for instance in self.instances:
            if not instance.ready():
                raise SystemExit(f"instance {instance.number} did not start (see its log above)")
        self.rotation = self.ports()
        self.nginx = Nginx(workdir, port, self.rotation)
        say(
            f"serving http://127.0.0.1:{port}/ (nginx pid {self.nginx.proc.pid}) in front of {count} instances; "
            f"`kill -HUP {os.getpid()}` rolls them onto the data as it is now"
        )

    def ports(self) -> list[int]:
        return [i.port for i in self.instances]

    def revive(self) -> None:
        """Start an instance that died (its master, or all of it) again on its port; it rejoins nginx's rotation
        when it answers (`balance`). What was left of its group is stopped meanwhile: orphaned workers closed
        the port within a second, long before the new master, still loading the app, binds it."""
        for index, instance in enumerate(self.instances):
            if instance.silent_too_long():
                say(f"instance {instance.number}: silent too long (no answer to /healthz); killing it")
                os.killpg(instance.proc.pid, signal.SIGKILL)
                instance.proc.wait()
            if instance.proc.poll() is not None:
                say(f"instance {instance.number} exited ({instance.proc.returncode}); starting it again")
                threading.Thread(target=instance.clear_group, args=(ORPHAN_GRACE,), daemon=True).start()
                self.instances[index] = Instance(instance.number, instance.port)

    def balance(self) -> None:
        """nginx sends requests only to instances that answer their probe (all of them if none does): a hung
        instance leaves the rotation within HUNG_AFTER seconds and returns when it answers again."""
        answering = [i for i in self.instances if i.answering()]
        rotation = [i.port for i in answering] or self.ports()
        if rotation == self.rotation:
            return
        for instance in self.instances:
            was, now = instance.port in self.rotation, instance.port in rotation
            if now and not was:
                say(
                    f"instance {instance.number}: pid {instance.proc.pid}, port {instance.port}, data {instance.version}"
                )
            elif was and not now:
                say(f"instance {instance.number}: out of rotation (no answer to /healthz for {HUNG_AFTER:g} s)")
        self.rotation = rotation
        self.nginx.reload(rotation, wait=False)

    def roll(self) -> None:
        """Replace each instance by one on the data as it is now, once the new one answers /healthz."""
        for index, old in enumerate(list(self.instances)):
            new = Instance(old.number, free_port())
            if not new.ready():
                new.stop()
                say(f"roll stopped: instance {old.number} on the new data did not start; the rest keep the old data")
                return
            self.instances[index] = new
            self.rotation = [i.port for i in self.instances]
            self.nginx.reload(self.rotation)
            old.stop()
            say(f"instance {old.number}: port {old.port} -> {new.port}, data {old.version} -> {new.version}")
        say(f"rolled onto data {', '.join(sorted({i.version for i in self.instances}))}")

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for instance in self.instances:
            if instance.proc.poll() is None:
                instance.proc.send_signal(signal.SIGTERM)
        for instance in self.instances:
            instance.stop()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not all(a.isdigit() for a in argv) or int(argv[1]) < 1:
        print("usage: scripts/serve-stack PORT INSTANCES", file=sys.stderr)
        return 2
    port, count = int(argv[0]), int(argv[1])
    events: list[str] = []
    signal.signal(signal.SIGTERM, lambda *_: events.append("stop"))
    signal.signal(signal.SIGINT, lambda *_: events.append("stop"))
    signal.signal(signal.SIGHUP, lambda *_: events.append("roll"))
    with tempfile.TemporaryDirectory(prefix="serve-stack-") as tmp:
        stack = Stack()
        try:
            stack.start(port, count, Path(tmp))
            while "stop" not in events:
                if "roll" in events:
                    events.remove("roll")
                    stack.roll()
                if stack.nginx.proc.poll() is not None:
                    say("nginx exited; stopping")
                    return 1
                stack.revive()
                stack.balance()
                time.sleep(TICK)
        finally:
            stack.stop()
            say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
