"""Real git worlds for the git tests: a bare remote, the review server's working copy
and a "Poedit user" clone, all in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import WEB_USERS

EMAILS = {"tr_fr": "francoise@example.org", "coord": "coord@example.org"}
POEDIT = ("Paul Poedit", "paul@example.org")

GIT_TABLE = """
[git]
enabled = true
remote = "origin"
branch = "translations"
push_delay = {push_delay}
pull_interval = {pull_interval}
squash_window = {squash}
commit_delay = {commit_delay}
"""


def git(cwd: Path, *args: str, who: tuple[str, str] | None = None, check: bool = True) -> str:
    name, email = who or ("Test Setup", "setup@example.org")
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "LC_ALL": "C"}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


@dataclass
class World:
    remote: Path
    server: Path
    poedit: Path

    def clone(self, name: str) -> Path:
        dest = self.server.parent / name
        git(self.server.parent, "clone", "-q", "-b", "translations", str(self.remote), str(dest))
        return dest


def make_world(web_template: Path, tmp: Path, *, push_delay: float = 0, squash: float = 0,
               commit_delay: float = 0, pull_interval: float = 0) -> World:
    from workflow import db, users

    remote, server = tmp / "remote.git", tmp / "server"
    tmp.mkdir(parents=True, exist_ok=True)
    git(tmp, "init", "-q", "--bare", "-b", "translations", str(remote))
    shutil.copytree(web_template, server, ignore=shutil.ignore_patterns("*.lock"))
    with open(server / "letterflow.toml", "a", encoding="utf-8") as fh:
        fh.write(GIT_TABLE.format(push_delay=push_delay, squash=squash,
                                  commit_delay=commit_delay, pull_interval=pull_interval))
    (server / ".gitignore").write_text("var/\n*.lock\ndist/\n__pycache__/\n")
    (server / ".gitattributes").write_text("*.po merge=letterflow\n")
    git(server, "init", "-q", "-b", "translations")
    git(server, "add", "-A")
    git(server, "commit", "-q", "-m", "letter and catalogues", who=("Coordinator", "c@x.org"))
    git(server, "remote", "add", "origin", str(remote))
    git(server, "push", "-q", "-u", "origin", "translations")
    conn = db.connect(server / "var" / "letterflow.sqlite3")
    for name, email in EMAILS.items():
        users.set_email(conn, name, email)
    conn.close()
    world = World(remote, server, tmp / "poedit")
    world.clone("poedit")
    return world


def app_for(server: Path):
    from web import create_app

    return create_app(project_dir=server, test_config={
        "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret"})


def api_login(client, name: str) -> None:
    r = client.post("/api/login", json={"name": name, "password": WEB_USERS[name][0]})
    assert r.status_code == 200, r.get_data(as_text=True)


def approve(client, lang: str, ctx: str, strings: list[str] | None = None):
    e = client.get(f"/api/l/{lang}/entries/{ctx}").json["entry"]
    body = {"action": "approve", "strings": strings or e["strings"],
            "base_revision": e["revision"]}
    return client.post(f"/api/l/{lang}/entries/{ctx}", json=body)
