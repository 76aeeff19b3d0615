"""web/serving.py: what a serving process sets for itself once its app is built."""

from __future__ import annotations

import subprocess
import sys


def test_tune_for_serving_freezes_start_up_raises_the_threshold_and_quiets_queue_depth():
    code = """
import gc, io, logging
from waitress.task import ThreadedTaskDispatcher
from web.serving import FIRST_GENERATION_THRESHOLD, tune_for_serving
before = gc.get_freeze_count()
tune_for_serving()
assert gc.get_freeze_count() > before
assert gc.get_threshold()[0] == FIRST_GENERATION_THRESHOLD
stream = io.StringIO()
logging.getLogger("waitress").addHandler(logging.StreamHandler(stream))
d = ThreadedTaskDispatcher()      # no threads: every task waits in the queue
d.add_task(object()); d.add_task(object())
assert "Task queue depth" not in stream.getvalue(), stream.getvalue()
logging.getLogger("waitress.queue").error("still reported")
assert "still reported" in stream.getvalue()
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_without_the_tuning_waitress_logs_every_queued_request():
    """The warning the tuning silences is real (so the test above can fail)."""
    code = """
import io, logging
from waitress.task import ThreadedTaskDispatcher
stream = io.StringIO()
logging.getLogger("waitress").addHandler(logging.StreamHandler(stream))
d = ThreadedTaskDispatcher()
d.add_task(object()); d.add_task(object())
print(stream.getvalue().count("Task queue depth"))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "2", out.stderr


def test_what_the_first_requests_load_is_frozen_too():
    code = """
import gc
from flask import Flask
from web.serving import REFREEZE_AFTER, tune_for_serving
app = Flask("x")
kept = []
@app.get("/")
def index():
    kept.append({"loaded lazily": [1, 2, 3]})  # lives on, like a module imported on use
    return "ok"
tune_for_serving(app)
client = app.test_client()

def tracked(obj):  # in a collected generation (not frozen)
    return any(o is obj for o in gc.get_objects())

for _ in range(REFREEZE_AFTER[0] - 1):
    client.get("/")
assert tracked(kept[0]) and tracked(kept[-1]), "frozen before the count"
client.get("/")
assert not tracked(kept[0]) and not tracked(kept[-1]), "not frozen at the count"
client.get("/")
assert tracked(kept[-1])  # what comes later is collected as usual
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
