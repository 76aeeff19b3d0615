"""The review server checks approvals in several threads at once, and the spelling and
leftover checks call Hunspell through pyenchant. libenchant is not thread-safe: a dictionary
opened by one thread while another checked a word crashed the whole server process
(SIGSEGV or "double free or corruption"; seen as "Remote end closed connection without
response" in tests/test_serve_processes.py under load, session 8). The threads run in a
fresh interpreter, so a crash fails this test instead of ending pytest; each call into
enchant waits a moment inside (the real call follows), so that calls that are not kept
apart overlap every time, not once in a while."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import REPO

SCRIPT = textwrap.dedent("""
    import os, sys, tempfile, threading, time
    from pathlib import Path
    os.environ["LETTERFLOW_CACHE_DIR"] = tempfile.mkdtemp()
    import enchant
    from workflow.checks import hunspell

    langs = [l for l in ("fr", "es", "it", "nl", "ru", "pl", "de", "pt")
             if hunspell._find_tag(l)]
    if len(langs) < 2:
        sys.exit("fewer than two Hunspell dictionaries installed: " + repr(langs))
    inside, peak, guard = [0], [0], threading.Lock()

    def probed(call, pause):
        def wrapper(*args, **kwargs):
            with guard:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            try:
                time.sleep(pause)  # (another thread that may enter now, enters)
                return call(*args, **kwargs)
            finally:
                with guard:
                    inside[0] -= 1
        return wrapper

    enchant.Dict.__init__ = probed(enchant.Dict.__init__, 0.01)
    enchant.Dict.check = probed(enchant.Dict.check, 0.001)
    find_tag = hunspell._find_tag
    hunspell._find_tag = lambda lang: (time.sleep(0.01), find_tag(lang))[1]
    got = []

    def work(i, gate, cache, first):
        lang = langs[i % len(langs)]
        gate.wait()
        if i % 2:  # words never seen, each asked of enchant, while others open theirs
            for k in range(20):
                first.check(f"zq{i}w{k}")
            return
        d = hunspell._dictionary(lang, cache)  # several threads ask for one at once
        got.append((lang, cache, id(d)))
        d.check(f"zq{i}")  # (opens the enchant dictionary)

    for round in range(int(sys.argv[1])):
        cache = Path(tempfile.mkdtemp())  # new dictionaries: opened again this round
        first = hunspell._dictionary(langs[0], Path(tempfile.mkdtemp()))
        first.check("zq")
        gate = threading.Barrier(12)
        threads = [threading.Thread(target=work, args=(i, gate, cache, first))
                   for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    made = {}
    for lang, cache, ident in got:
        made.setdefault((lang, cache), set()).add(ident)
    print("calls inside enchant at once:", peak[0])
    print("dictionaries per language:", max(len(v) for v in made.values()))
""")


def test_threads_opening_and_asking_dictionaries_at_once_do_not_crash():
    res = subprocess.run([sys.executable, "-X", "faulthandler", "-c", SCRIPT, "3"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.splitlines() == [
        "calls inside enchant at once: 1",  # one call into enchant at a time
        "dictionaries per language: 1",  # however many threads asked for one at once
    ], res.stdout
