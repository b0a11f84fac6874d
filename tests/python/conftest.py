"""pytest configuration for the Python binding's tests (bindings/python).

These tests import the ``cogniforge`` package from wherever PYTHONPATH points; they never build it.
Build it, then run them with Debian's interpreter (the one the extension was compiled for):

    meson setup build-py -Dcuda=disabled -Dtests=false && ninja -C build-py
    PYTHONPATH=build-py/bindings/python /usr/bin/python3 -m pytest tests/python -q

For an installed copy, point PYTHONPATH at <destdir><prefix>/lib/python3.X/dist-packages instead, with
LD_LIBRARY_PATH at the installed libcogniforge. numpy tests skip when numpy is missing.
"""

import os
import sys

import pytest

try:
    import cogniforge
except ImportError as exc:
    pytest.exit(
        f"cannot import cogniforge ({exc}).\n"
        f"Build the binding and put its directory on PYTHONPATH, e.g.\n"
        f"  PYTHONPATH=build-py/bindings/python /usr/bin/python3 -m pytest tests/python\n"
        f"(interpreter: {sys.executable}; PYTHONPATH={os.environ.get('PYTHONPATH', '<unset>')})",
        returncode=4)


def pytest_report_header(config):
    return (f"cogniforge {cogniforge.__version__} from {os.path.dirname(cogniforge.__file__)}, "
            f"features {cogniforge.features()!r}, {cogniforge.cuda_device_count()} CUDA device(s)")


@pytest.fixture
def subprocess_env():
    """The environment for a child interpreter that must import the same cogniforge."""
    env = dict(os.environ)
    pkg_parent = os.path.dirname(os.path.dirname(os.path.abspath(cogniforge.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, env.get("PYTHONPATH")) if p)
    return env
