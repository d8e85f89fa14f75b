"""``mautic/mautic`` ``app/bundles/PointBundle/Tests/Entity/PointEntityValidationTest``,
``testDeltaValidationOnCreateViaAPI`` (the UI cases need Mautic's forms): a form
POST to ``/api/points/new``; a delta in range gives 201 whose body contains no
``error``, one out of range a 400 whose body carries the Range message (spec §2.3).
Also through ``mautic.points.create``.
"""

from __future__ import annotations

import pytest

from mautic_async import MauticClient, ValidationError

from .conftest import Http

INT_MIN, INT_MAX = -2147483648, 2147483647
RANGE = "This value should be between -2147483648 and 2147483647."
SCENARIOS = [
    pytest.param(3000, "", id="within range positive number"),
    pytest.param(-7857, "", id="within range negative number"),
    pytest.param(0, "", id="within range zero"),
    pytest.param(INT_MAX, "", id="upper limit"),
    pytest.param(INT_MIN, "", id="lower limit"),
    pytest.param(INT_MAX + 10, RANGE, id="above upper limit"),
    pytest.param(INT_MIN - 10, RANGE, id="below lower limit"),
]


@pytest.mark.parametrize(("delta", "error_message"), SCENARIOS)
async def test_delta_validation_on_create_via_api(
    http: Http, delta: int, error_message: str
) -> None:
    # Symfony's test client sends the parameters as a form; `true` becomes "1"
    form = {"name": "Point1", "delta": str(delta), "isPublished": "1", "type": "form.submit"}
    reply = await http("POST", "/api/points/new", data=form)
    if error_message:
        assert reply.status == 400
        assert "error" in reply.text
        assert error_message in reply.text
        assert (await http("GET", "/api/points")).json["total"] == 0
    else:
        assert reply.status == 201
        assert "error" not in reply.text
        assert reply.json["point"]["delta"] == delta


@pytest.mark.parametrize(("delta", "error_message"), SCENARIOS)
async def test_client_delta_validation_on_create(
    mautic: MauticClient, delta: int, error_message: str
) -> None:
    data = {"name": "Point1", "delta": delta, "is_published": True, "type": "form.submit"}
    if error_message:
        with pytest.raises(ValidationError) as caught:
            await mautic.points.create(data)  # type: ignore[arg-type]
        assert error_message in str(caught.value)
    else:
        point = await mautic.points.create(data)  # type: ignore[arg-type]
        assert point.delta == delta
