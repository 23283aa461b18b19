from __future__ import annotations

import json
import logging

import pytest

from sensor_engine_worker import logs


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_lines_carry_the_workflow_id_of_the_poke_they_belong_to(
    log_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logs.configure(log_format)
        token = logs.WORKFLOW_ID.set("flyte-sensor:p:d:e:n0:0")
        logging.getLogger("a_users_sensor").info("checked %s", "s3://b/k")
        logs.WORKFLOW_ID.reset(token)
        logging.getLogger("a_users_sensor").info("outside any poke")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    first, second = capsys.readouterr().err.splitlines()
    if log_format == "json":
        assert json.loads(first)["workflow_id"] == "flyte-sensor:p:d:e:n0:0"
        assert json.loads(first)["message"] == "checked s3://b/k"
        assert "workflow_id" not in json.loads(second)
    else:
        assert first.endswith("a_users_sensor: checked s3://b/k workflow_id=flyte-sensor:p:d:e:n0:0")
        assert "workflow_id" not in second
