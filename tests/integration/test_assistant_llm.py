"""The optional language-model backend: a real HTTP server speaking the OpenAI
chat-completions protocol stands in for the model (the model is outside Kosmos). A good
answer is used; an error, a malformed answer or no answer within 2 s falls back to the
built-in understanding."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kosmos import config
from kosmos.assistant.llm import understand_message
from kosmos.config import Settings, get_settings

NOW = datetime.fromisoformat("2026-11-22T10:00:00+01:00")
GOOD = {"intents": [{"type": "create_event", "title": "Grillfest", "start":
        "2026-11-28T18:00:00+01:00", "end": None, "place": "Stadtpark"}]}  # fmt: skip


class Model(BaseHTTPRequestHandler):
    mode = "good"
    seen: list[dict] = []
    released = threading.Event()  # a "slow" model answers only when the test is over

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Model.seen.append(body)
        if Model.mode == "slow":
            Model.released.wait(timeout=60)
            return  # the client gave up long ago
        if Model.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        arguments = GOOD if Model.mode == "good" else {"intents": [{"type": "nope"}]}
        answer = {"choices": [{"message": {"role": "assistant", "tool_calls": [{
            "type": "function", "function": {"name": "report_intents",
                                             "arguments": json.dumps(arguments)}}]}}]}  # fmt: skip
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def model_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/v1/chat/completions"
    config.configure(Settings(llm_url=url, llm_api_key="test-key", env="test"))
    Model.seen.clear()
    Model.released.clear()
    yield url
    Model.released.set()
    config.configure(None)
    server.shutdown()


TEXT = "Lass uns am Samstag um 18 Uhr im Stadtpark grillen!"


def test_a_good_answer_is_used(model_url) -> None:
    Model.mode = "good"
    result = understand_message(TEXT, now=NOW, members=("anna", "ben"))
    assert result.source == "llm"
    assert result.to_dict()["intents"][0]["title"] == "Grillfest"
    request = Model.seen[0]
    assert request["tools"][0]["function"]["name"] == "report_intents"
    assert "2026-11-22T10:00:00+01:00" in request["messages"][0]["content"]


@pytest.mark.parametrize("mode", ["error", "bad"])
def test_errors_and_malformed_answers_fall_back(model_url, mode: str) -> None:
    Model.mode = mode
    result = understand_message(TEXT, now=NOW)
    assert result.source == "rules"
    assert result.to_dict()["intents"][0]["title"] == "Grillen"


def test_no_answer_within_two_seconds_falls_back(model_url, caplog) -> None:
    # given a model that does not answer until the test is over
    Model.mode = "slow"
    assert get_settings().llm_timeout_seconds == 2

    # when a message is understood
    started = time.monotonic()
    result = understand_message(TEXT, now=NOW)

    # then the built-in understanding answers, because the model timed out (the bound only
    # tells "gave up" from "waited for the answer", which never comes within 60 s)
    assert result.source == "rules"
    assert result.to_dict()["intents"][0]["title"] == "Grillen"
    assert "timed out" in caplog.text
    assert time.monotonic() - started < 30


def test_without_a_model_everything_stays_offline() -> None:
    config.configure(Settings(env="test"))
    try:
        assert understand_message(TEXT, now=NOW).source == "rules"
    finally:
        config.configure(None)
