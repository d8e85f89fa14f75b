"""The shell command and the pytest fixture."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from mautic_async.testing import MauticEmulator

from ._helpers import basic

ROOT = Path(__file__).resolve().parents[2]


async def test_command_line_serves_until_sigterm() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mautic_async.testing",
        "--port",
        "0",
        "--basic-auth",
        "admin:secret",
        "--basic-auth",
        "other:pw",
        "--oauth2-client",
        "id:shh",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        prefix = "Mautic emulator listening on "
        assert line.startswith(prefix)
        assert line.endswith("\n")
        url = line[len(prefix) :].strip()
        headers = basic("other", "pw")
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + "/api/points/groups", headers=headers) as r,
        ):
            assert r.status == 200
            assert await r.json() == {"total": 0, "pointGroups": []}
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, stderr
    assert stdout == b""  # exactly one line was printed
    assert b"secret" not in stderr
    assert b"shh" not in stderr


async def test_command_line_defaults_to_admin_secret() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mautic_async.testing",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
    url = line.rsplit(" ", 1)[1].strip()
    headers = basic("admin", "secret")
    async with (
        aiohttp.ClientSession() as session,
        session.get(url + "/api/points/groups", headers=headers) as r,
    ):
        assert r.status == 200
    proc.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0
    assert b"'admin'" in stderr
    assert b"'secret'" in stderr


async def test_pytest_fixture(mautic_emulator: MauticEmulator) -> None:
    assert isinstance(mautic_emulator, MauticEmulator)
    assert mautic_emulator.settings.basic_auth == {"admin": "secret"}
    assert mautic_emulator.settings.oauth2_clients == {"client-id": "client-secret"}
    async with aiohttp.ClientSession() as session:
        form = {
            "grant_type": "client_credentials",
            "client_id": "client-id",
            "client_secret": "client-secret",
        }
        async with session.post(mautic_emulator.url + "/oauth/v2/token", data=form) as r:
            assert r.status == 200
