"""Contract tests of ``mautic_async.testing`` over real HTTP (plain aiohttp)."""

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("mautic_async") is None:  # not installed: use this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
