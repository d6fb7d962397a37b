#!/usr/bin/env python
"""Schemathesis over the whole OpenAPI document of /api/v1, against a real server on PostgreSQL.

    .venv/bin/python fuzz/run_fuzz.py            # `make fuzz`; FUZZ_SECONDS=180 by default

1. (Re)create the database named in FUZZ_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/elevator_fuzz;
   its name must contain "fuzz"), migrate it and load the demo data.
2. Start gunicorn on a free port of 127.0.0.1 with production settings (DEBUG off) on that database.
3. Take a bearer token for a demo user (FUZZ_USER, default mc1_admin, the administrator of a maintenance company).
4. Run `schemathesis run` on /api/v1/openapi.json for FUZZ_SECONDS with the check `not_a_server_error` (any 5xx
   fails the run) in every phase: examples, coverage (boundary values, NUL bytes, huge integers, nulls, wrong
   types), fuzzing and stateful (create → read → patch chains through the OpenAPI links).
5. Stop the server; the exit code is schemathesis's. The server's log (tracebacks of any 500) and the reports
   are kept in var/fuzz/.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "fuzz"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/elevator_fuzz"


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "fuzz" not in name:
        sys.exit(f"refusing to drop {name!r}: the fuzz database name must contain 'fuzz'")
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        sys.exit(f"PostgreSQL is not reachable at {admin}: {exc}")
    print(f"database {name} recreated", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server did not answer at {base} within {seconds:.0f} s (see {OUT / 'server.log'})")


def token_for(base: str, username: str, password: str) -> str:
    request = urllib.request.Request(
        base + "/api/v1/auth/token",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def account_of(base: str, token: str, username: str) -> dict:
    """The fuzz user's own row (its id and unit), which the hooks keep it from locking itself out of."""
    request = urllib.request.Request(
        f"{base}/api/v1/users?q={username}&limit=500", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        items = json.load(response)["items"]
    return next((item for item in items if item["username"] == username), {})


def main() -> int:
    seconds = int(os.environ.get("FUZZ_SECONDS", 180))
    username = os.environ.get("FUZZ_USER", "mc1_admin")
    url = os.environ.get("FUZZ_DATABASE_URL", DEFAULT_URL)
    # One worker: Python 3.11's ast.parse is not thread-safe ("AST constructor recursion depth mismatch" inside
    # Hypothesis), and the server has the other core.
    workers = os.environ.get("FUZZ_WORKERS", "1")
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "fuzz-only-secret-key-" + "x" * 40),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # the embedded cache: one less service to need
    recreate_database(url)
    python = str(VENV_BIN / "python")
    started = time.monotonic()
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"migrated and loaded the demo data in {time.monotonic() - started:.0f} s", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (OUT / "server.log").open("w")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(base)
        token = token_for(base, username, os.environ.get("FUZZ_PASSWORD", "Demo@2026"))
        account = account_of(base, token, username)
        command = [
            python,
            "-c",
            "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
            "run",
            f"{base}/api/v1/openapi.json",
            "--checks",
            "not_a_server_error",
            "--header",
            f"Authorization: Bearer {token}",
            "--max-time",
            str(seconds),
            "--workers",
            workers,
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "junit,ndjson",
            "--report-dir",
            str(OUT),
        ]
        if os.environ.get("FUZZ_SEED"):
            command += ["--seed", os.environ["FUZZ_SEED"]]
        print(f"schemathesis for {seconds} s against {base} as {username}", flush=True)
        started = time.monotonic()
        hooks_env = {
            "SCHEMATHESIS_HOOKS": "hooks",
            "PYTHONPATH": str(Path(__file__).resolve().parent),
            "FUZZ_SELF_USER_ID": str(account.get("id", "")),
            "FUZZ_SELF_ORG_ID": str(account.get("organization_id", "")),
        }
        result = subprocess.run(command, cwd=OUT, env={**env, **hooks_env})
        print(f"schemathesis ran {time.monotonic() - started:.0f} s, exit code {result.returncode}", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    tracebacks = (OUT / "server.log").read_text(errors="replace").count("Traceback")
    if tracebacks:
        print(f"the server logged {tracebacks} traceback(s): {OUT / 'server.log'}", flush=True)
    return result.returncode


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.exit(main())
