"""Benchmarks for ``mautic_async``: run ``python -m benchmarks`` (see README.md).

Nothing here runs in the test suite or in CI; it needs nginx and the ``bench`` extra.
"""

import os
import sys

# The harness sets this for the workers that measure mautic_async without orjson: with
# ``sys.modules["orjson"] = None`` every ``import orjson`` raises ImportError, exactly as
# if it were not installed.
if os.environ.get("MAUTIC_BENCH_BLOCK_ORJSON") == "1":
    sys.modules["orjson"] = None  # type: ignore[assignment]
