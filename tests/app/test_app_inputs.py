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


def test_a_value_a_widget_cannot_take_is_refused_in_the_session_s_language(app_url):
    """The widgets' own checks run before any handler; they answer in the language the session switched to, with
    the widget's translated label (a session that never chose one gets both languages)."""
    from gradio_client import Client

    from tests.app.streams import connect

    client: Client = connect(app_url)
    client.predict("vi", api_name="/set_language")
    with pytest.raises(Exception) as refused:
        client.predict(hidden="many", api_name="/vae_start")
    text = str(refused.value)
    assert "cần một số" in text and "expected a number" not in text, text
    assert "Độ rộng lớp ẩn" in text and "Hidden width" not in text, text  # the label in Vietnamese too
    fresh = connect(app_url)  # another session, no language chosen: both
    with pytest.raises(Exception) as both:
        fresh.predict(hidden="many", api_name="/vae_start")
    assert "expected a number" in str(both.value) and "cần một số" in str(both.value)


@pytest.mark.parametrize("api, name, bad, words", [
    ("vis_sample", "name", None, "No sample photo is called None"),
    ("vis_analyse", "image", {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}, "a file that was not uploaded"),
    ("vis_analyse", "image", "/etc/passwd", "a file that was not uploaded"),
    ("lab_timing", "lengths", ", ".join(str(n) for n in range(2, 4097)), "lengths: at most 6 values (got 4095)"),
    ("lab_timing", "lengths", "4096", "from 2 to 512"),
])
def test_a_bad_input_of_the_classroom_sweep_is_refused_and_the_server_still_answers(client, app_url, api, name, bad,
                                                                                  words):
    """The inputs the classroom test found answered by an empty error, or by work without bound, get a message."""
    spec = client.view_api(return_format="dict", print_info=False)["named_endpoints"][f"/{api}"]["parameters"]
    names = [p["parameter_name"] for p in spec]
    data = [p.get("parameter_default") for p in spec]
    data[names.index(name)] = bad
    event = httpx.post(f"{app_url}/gradio_api/call/{api}", json={"data": data}, timeout=30).json()["event_id"]
    text = httpx.get(f"{app_url}/gradio_api/call/{api}/{event}", timeout=60).text
    assert "event: error" in text, text[-300:]
    error = json.loads(text.split("event: error", 1)[1].split("data:", 1)[1].strip().splitlines()[0])["error"]
    assert error and words in error, error
    assert httpx.get(f"{app_url}/gradio_api/info", timeout=30).status_code == 200
