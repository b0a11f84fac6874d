"""The GIL is released around C calls, and concurrent calls stay correct."""

import hashlib
import os
import subprocess
import sys
import textwrap
import threading

import pytest

import cogniforge


def test_concurrent_hashing_is_correct():
    blocks = [bytes([i]) * (8 << 20) + os.urandom(64) for i in range(8)]
    expected = [hashlib.sha256(b).digest() for b in blocks]
    results = [None] * len(blocks)
    errors = []

    def work(i):
        try:
            for _ in range(3):
                results[i] = cogniforge.sha256(blocks[i])
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(blocks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_gil_is_released_while_c_blocks(tmp_path, subprocess_env):
    # Deterministic, not timing-based: a thread summarizes a FIFO, so the C call blocks until this
    # thread opens the FIFO and writes to it from Python. If the C call kept the GIL, the writer could
    # never run and the child would deadlock; the parent's timeout turns that into a failure.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    script = textwrap.dedent("""
        import sys, threading, cogniforge
        fifo = sys.argv[1]
        out = {}
        t = threading.Thread(target=lambda: out.setdefault("s", cogniforge.summarize_file(fifo)))
        t.start()
        with open(fifo, "wb") as f:
            f.write(b"one\\ntwo\\n\\n")
        t.join()
        print(out["s"].lines, out["s"].blank_lines)
    """)
    try:
        r = subprocess.run([sys.executable, "-c", script, str(fifo)], env=subprocess_env,
                           capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("deadlock: the C call held the GIL while blocked")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["3", "1"]


def test_numpy_is_optional(subprocess_env):
    script = textwrap.dedent("""
        import sys
        sys.modules["numpy"] = None  # any "import numpy" now raises ImportError
        import hashlib, cogniforge
        view = memoryview(b"0123456789")[::2]
        assert cogniforge.sha256(view) == hashlib.sha256(b"02468").digest()
        assert "numpy" not in [m for m in sys.modules if sys.modules[m] is not None]
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", script], env=subprocess_env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
