"""Property-based fuzzing of the OpenAPI schema (schemathesis): no request gives a 5xx.

Bounded: a few generated examples per operation, no deadline per example.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="session")
def web_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("web_schema")


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_server_errors(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
