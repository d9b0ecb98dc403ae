"""Through the running app: the calls that once got an empty error (``{"error": null}``) get a message."""

from __future__ import annotations

import json

import httpx
import pytest


@pytest.mark.parametrize("api, name, bad", [
    ("vision_sweep_start", "sweep_strategies", 0),  # was {"error": null}: 'int' object is not iterable
    ("vae_start", "hidden", None),  # was {"error": null}: None compared with a slider's minimum
])
def test_the_calls_that_got_an_empty_error_now_get_a_message(client, app_url, api, name, bad):
    spec = client.view_api(return_format="dict", print_info=False)["named_endpoints"][f"/{api}"]["parameters"]
    names = [p["parameter_name"] for p in spec]
    assert name in names, names
    data = [p.get("parameter_default") for p in spec]
    data[names.index(name)] = bad
    event = httpx.post(f"{app_url}/gradio_api/call/{api}", json={"data": data}, timeout=30).json()["event_id"]
    text = httpx.get(f"{app_url}/gradio_api/call/{api}/{event}", timeout=60).text
    assert "event: error" in text, text[-300:]
    error = json.loads(text.split("data:", 1)[1].strip().splitlines()[0])["error"]
    assert error and ("cannot be used" in error or "a number is needed" in error), error
