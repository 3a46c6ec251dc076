"""Smoke test of the production topology: the Procfile's web and worker processes on
PostgreSQL and Redis with production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/daihoi_smoke \
        REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python deploy/smoke.py

The database named in DATABASE_URL is dropped and recreated. Checks, through HTTP only:
/healthz (database, Redis, task queue); an organizer logs in with the login form and opens a
page and its static files; a delegate casts a ballot through the API, answered by the lean cast path
(`elections.cast_asgi`, header `X-Daihoi-Cast: lean`), and a retry with the same form token
returns the same receipt; another delegate casts from the ballot page with the browser's
session and CSRF token, answered by the lean path too; the projector's live stream delivers
its first event. Exits
non-zero on the first failure, with what was expected and what came back.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.common import free_port  # noqa: E402


def _fail(what: str, response: httpx.Response | None = None) -> None:
    detail = f" — HTTP {response.status_code}: {response.text[:300]!r}" if response else ""
    print(f"smoke: FAILED: {what}{detail}", file=sys.stderr)
    raise SystemExit(1)


def _procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "deploy" / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def _expand(command: str, env: dict[str, str]) -> list[str]:
    """The Procfile's `${VAR:-default}` expanded as a shell would, then split."""

    def value(match: re.Match[str]) -> str:
        return env.get(match.group(1)) or match.group(2)

    expanded = re.sub(r"\$\{(\w+):-([^}]*)\}", value, command)
    return shlex.split(expanded)


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        _fail("DATABASE_URL must name a scratch PostgreSQL database")
    work = Path(tempfile.mkdtemp(prefix="daihoi-smoke-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "daihoi.settings",
        "DAIHOI_ENV": "production",
        "DAIHOI_SECRET_KEY": uuid.uuid4().hex * 2,
        "DAIHOI_AUDIT_KEY": uuid.uuid4().hex * 2,
        "DAIHOI_AUDIT_ANCHOR_FILE": str(work / "anchors.jsonl"),
        "DAIHOI_VAR_DIR": str(work),
        "DAIHOI_ALLOWED_HOSTS": "127.0.0.1",
        "DAIHOI_SSL_REDIRECT": "0",
        "DAIHOI_LOG_LEVEL": "ERROR",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        # The Procfile names the installed commands; take this interpreter's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    name = database_url.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    procfile = _procfile()
    print("smoke: release:", procfile["release"])
    subprocess.run(procfile["release"] + " -v 0", shell=True, env=env, cwd=ROOT, check=True)
    prepared = subprocess.run(
        [sys.executable, "-c", _PREPARE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if prepared.returncode != 0:
        _fail("preparing the data: " + prepared.stderr[-2000:])
    data = dict(line.split("=", 1) for line in prepared.stdout.strip().splitlines()[-8:])

    processes: list[subprocess.Popen[bytes]] = []
    try:
        for role in ("web", "worker"):
            argv = _expand(procfile[role], env)
            print(f"smoke: {role}:", " ".join(argv))
            argv[0] = str(Path(sys.executable).parent / argv[0])
            processes.append(subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True))
        _check(f"http://127.0.0.1:{port}", data)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    print("smoke: passed")


def _check(url: str, data: dict[str, str]) -> None:
    for _ in range(150):
        try:
            health = httpx.get(url + "/healthz", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        _fail("the web server did not answer /healthz within 30 s")
    if health.status_code != 200:
        _fail("/healthz", health)
    print("smoke: /healthz", health.json())

    # As behind the TLS-terminating proxy: the proxy's header, and the Secure cookies sent back.
    with httpx.Client(base_url=url, timeout=10, headers={"X-Forwarded-Proto": "https"}) as browser:
        jar: dict[str, str] = {}

        def send(method: str, path: str, **kwargs: Any) -> httpx.Response:
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            headers = {"Cookie": cookie, **kwargs.pop("headers", {})}
            response = browser.request(method, path, headers=headers, **kwargs)
            jar.update({k: v for k, v in response.cookies.items()})
            return response

        login = send("GET", "/accounts/login/")
        signed_in = send(
            "POST",
            "/accounts/login/",
            data={
                "username": data["organizer"],
                "password": data["password"],
                "csrfmiddlewaretoken": jar.get("csrftoken", ""),
            },
            headers={"Referer": url.replace("http://", "https://") + "/accounts/login/"},
        )
        if login.status_code != 200 or signed_in.status_code != 302:
            _fail("logging in with the form", signed_in)
        page = send("GET", f"/congresses/c/{data['congress']}/")
        if page.status_code != 200 or "no-store" not in page.headers.get("cache-control", ""):
            _fail("opening the congress page as its organizer", page)
        print("smoke: logged in and opened", page.url)
        _static_files(browser, page.text)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        _first_live_event(browser, data, cookie)

    ballot: dict[str, Any] = {"form_token": uuid.uuid4().hex, "kept": data["slate"].split(",")}
    headers = {"Authorization": f"Bearer {data['key']}"}
    cast_url = f"{url}/api/v1/elections/{data['election']}/ballots"
    first = httpx.post(cast_url, json=ballot, headers=headers, timeout=10)
    again = httpx.post(cast_url, json=ballot, headers=headers, timeout=10)
    if first.status_code != 201:
        _fail("casting a ballot", first)
    if first.headers.get("x-daihoi-cast") != "lean":
        _fail("the cast was answered by the lean cast path (X-Daihoi-Cast: lean)", first)
    if again.status_code != 200 or again.json()["receipt"] != first.json()["receipt"]:
        _fail("a retry with the same form token returns the same receipt", again)
    print("smoke: cast a ballot through the lean path, receipt", first.json()["receipt"])
    _page_form_cast(url, data)


def _static_files(browser: httpx.Client, page: str) -> None:
    """The page's style sheets and scripts are served, by their hashed names, compressed."""
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    if not names:
        _fail("finding a static file on the page")
    for name in names:
        response = browser.get(name, headers={"Accept-Encoding": "gzip, br"})
        if response.status_code != 200 or not re.search(r"\.[0-9a-f]{12}\.\w+$", name):
            _fail(f"fetching the static file {name} by its hashed name", response)
    print(f"smoke: {len(names)} static files served by their hashed names")


def _page_form_cast(url: str, data: dict[str, str]) -> None:
    """Another delegate casts from the ballot page, with the browser's session and CSRF
    token: answered by the lean path too, with the page's redirect to the receipt."""
    path = f"/elections/{data['election']}/vote/"
    session = f"sessionid={data['session']}"
    proxy = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=url, timeout=10, headers=proxy) as voter:
        page = voter.get(path, headers={"Cookie": session})
        found = {
            name: re.search(rf'name="{name}" value="([^"]+)"', page.text)
            for name in ("csrfmiddlewaretoken", "form_token")
        }
        csrf = page.cookies.get("csrftoken", "")
        if page.status_code != 200 or not csrf or not all(found.values()):
            _fail("opening the ballot page with its form", page)
        form = {name: match[1] for name, match in found.items() if match}
        cast = voter.post(
            path,
            data={**form, "struck": data["struck"].split(",")},
            headers={
                "Cookie": f"{session}; csrftoken={csrf}",
                "Referer": url.replace("http://", "https://") + path,
            },
        )
    if cast.status_code != 302 or "/receipt/" not in cast.headers.get("location", ""):
        _fail("casting from the ballot page", cast)
    if cast.headers.get("x-daihoi-cast") != "lean":
        _fail("the page form was answered by the lean cast path (X-Daihoi-Cast: lean)", cast)
    print("smoke: cast a ballot from the page through the lean path:", cast.headers["location"])


def _first_live_event(browser: httpx.Client, data: dict[str, str], cookie: str) -> None:
    stream_url = f"/elections/congress/{data['congress']}/projector/stream/"
    headers = {"Accept": "text/event-stream", "Cookie": cookie}
    with browser.stream("GET", stream_url, headers=headers) as stream:
        if stream.status_code != 200:
            stream.read()
            _fail("opening the projector's live stream", stream)
        for line in stream.iter_lines():
            if line.startswith("data:"):
                print("smoke: live event received,", len(line), "characters")
                return
    _fail("the live stream ended before its first event")


_PREPARE = """
import django
django.setup()
from bench.bench_voting import prepare
data = prepare(3)
print("election=" + str(data["election"].pk))
print("congress=" + str(data["congress"].pk))
print("key=" + data["keys"][0])
print("slate=" + ",".join(data["slate"][:53]))
print("session=" + data["sessions"][1])
print("struck=" + ",".join(data["slate"][53:]))
print("organizer=bench_org")
print("password=correct horse battery")
"""

if __name__ == "__main__":
    main()
