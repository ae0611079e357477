"""`report bulletin --send`: delivery to group robots on a local HTTP server (127.0.0.1).

WeCom markdown, DingTalk markdown with its HMAC signature (reached through a local proxy so
the URL's host really is *.dingtalk.com), one retry, timeouts, refusals (errcode != 0), and
the webhook key never printed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sanling import webhook
from tests.helpers import fail, run

KEY = "6b1d2f0e-secret-key-9f3a"


class Robot:
    """A group robot: records every request, answers from a script (default errcode 0)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[tuple[int, dict[str, Any], float]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                robot.requests.append(
                    {
                        "path": self.path,
                        "host": self.headers.get("Host"),
                        "body": json.loads(body.decode("utf-8")),
                    }
                )
                status, answer, delay = (
                    robot.script.pop(0)
                    if robot.script
                    else (200, {"errcode": 0, "errmsg": "ok"}, 0)
                )
                if delay:
                    time.sleep(delay)
                raw = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = f"/cgi-bin/webhook/send?key={KEY}") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[Robot]:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(webhook, "RETRY_PAUSE_SECONDS", 0)
    server = Robot()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def ledger(villages: list[str]) -> None:
    run(
        "dispute add --village 城庄村 --category land --summary x --handler 王五 --found 2026-10-01"
        " --deadline 2026-10-28"
    )


def no_key(result: Any) -> None:
    assert KEY not in result.out and KEY not in result.err


def test_wecom_markdown_and_masked_confirmation(ledger: None, robot: Robot, tmp_path: Path) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    out = tmp_path / "bulletin.txt"
    r = run("report", "bulletin", "--send", "-f", "text", "-o", str(out))
    no_key(r)
    assert r.err.strip() == f"sent: http://127.0.0.1:{robot.port}/******"
    assert len(robot.requests) == 1
    sent = robot.requests[0]
    assert sent["path"] == f"/cgi-bin/webhook/send?key={KEY}"
    assert sent["body"] == {
        "msgtype": "markdown",
        "markdown": {"content": out.read_text(encoding="utf-8").rstrip("\n")},
    }
    assert "JF-2026-0001" in sent["body"]["markdown"]["content"]
    assert KEY not in run("config get bulletin_webhooks").out


def test_every_configured_robot_gets_it(ledger: None, robot: Robot) -> None:
    run("config", "set", "bulletin_webhooks", f"{robot.url()},{robot.url('/other?key=' + KEY)}")
    r = run("report bulletin --send --format json")
    assert r.json()["totals"]["overdue"] == 1  # the bulletin itself is still printed
    assert [q["path"].split("?")[0] for q in robot.requests] == ["/cgi-bin/webhook/send", "/other"]


def test_dingtalk_format_and_signature(
    ledger: None, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a DingTalk host name, reached through a proxy on 127.0.0.1 (plain http is allowed to
    # this machine only: a *.localhost name)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{robot.port}")
    monkeypatch.setenv("no_proxy", "")
    secret = "SEC0123456789abcdef"
    run(
        "config",
        "set",
        "bulletin_webhooks",
        f"http://oapi.dingtalk.localhost/robot/send?access_token={KEY}",
    )
    run("config", "set", "bulletin_dingtalk_secret", secret)
    r = run("report bulletin --send")
    no_key(r)
    assert secret not in r.out + r.err
    assert "sent: http://oapi.dingtalk.localhost/******" in r.err
    [request] = robot.requests
    assert request["host"] == "oapi.dingtalk.localhost"
    url = urllib.parse.urlsplit(request["path"])
    params = urllib.parse.parse_qs(url.query)
    assert params["access_token"] == [KEY]
    stamp = params["timestamp"][0]
    assert abs(int(stamp) - time.time() * 1000) < 120_000
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert params["sign"] == [expected]
    body = request["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "城庄镇 daily dispute bulletin 2026-10-31"
    assert body["markdown"]["text"].splitlines()[0] == "城庄镇 dispute bulletin, 2026-10-31  "


def test_sign_url_is_the_documented_recipe() -> None:
    signed = webhook.sign_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", 1700000000000
    )
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    assert (
        signed
        == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={sign}"
    )
    assert webhook.is_dingtalk("https://oapi.dingtalk.com/x") and not webhook.is_dingtalk(
        "https://qyapi.weixin.qq.com/dingtalk"
    )


def test_one_retry_then_success(ledger: None, robot: Robot) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(502, {"error": "bad gateway"}, 0)]
    run("report bulletin --send -f text")
    assert len(robot.requests) == 2


def test_failure_after_the_retry_is_an_error(ledger: None, robot: Robot, tmp_path: Path) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(500, {}, 0), (500, {}, 0)]
    out = tmp_path / "b.txt"
    r = fail("report", "bulletin", "--send", "-f", "text", "-o", str(out))
    no_key(r)
    assert r.err.startswith(
        f"error: delivery failed to 1 of 1: http://127.0.0.1:{robot.port}/****** (HTTP 500)"
    )
    assert len(robot.requests) == 2
    assert out.exists()  # the file for the archive is written before sending


def test_robot_refusal_is_an_error(ledger: None, robot: Robot) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"}, 0)] * 2
    r = fail("report bulletin --send -f text")
    no_key(r)
    assert "errcode 93000 invalid webhook url" in r.err


def test_a_robot_answer_naming_the_key_is_not_echoed(ledger: None, robot: Robot) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(200, {"errcode": 93000, "errmsg": f"invalid key {KEY}, hint: x"}, 0)] * 2
    r = fail("report bulletin --send -f text")
    no_key(r)
    assert "errcode 93000 invalid key ******, hint: x" in r.err


@pytest.mark.parametrize(
    "echo",
    [
        KEY[:8],  # the key's first characters
        KEY[5:17],  # a run from its middle
        KEY.upper(),  # in another case
        "6b1d2f0e%2Dsecret%2dkey",  # URL-encoded
    ],
)
def test_a_robot_answer_with_part_of_the_key_is_not_echoed(
    ledger: None, robot: Robot, echo: str
) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(200, {"errcode": 93000, "errmsg": f"bad key {echo} here"}, 0)] * 2
    r = fail("report bulletin --send -f text")
    no_key(r)
    assert "errcode 93000 bad key ****** here" in r.err
    assert KEY[:6] not in r.err and KEY[-6:] not in r.err


def test_redacted_keeps_what_is_no_part_of_a_credential() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456"
    said = webhook.redacted("token abcdef12 expired; sign SECxyz789 wrong", url, "SECxyz789")
    assert said == "token ****** expired; sign ****** wrong"
    assert webhook.redacted("robot send ok 12345", url) == "robot send ok 12345"


def test_timeout_is_an_error(ledger: None, robot: Robot) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    run("config set webhook_timeout_seconds 0.3")
    robot.script = [(200, {"errcode": 0}, 1.0), (200, {"errcode": 0}, 1.0)]
    started = time.monotonic()
    r = fail("report bulletin --send -f text")
    assert time.monotonic() - started < 10
    no_key(r)
    assert "timed out" in r.err


def test_unreachable_and_unset(ledger: None, robot: Robot) -> None:
    assert "no group robot webhook is set" in fail("report bulletin --send -f text").err
    port = robot.port
    robot.server.shutdown()
    robot.server.server_close()
    run("config", "set", "bulletin_webhooks", f"http://127.0.0.1:{port}/send?key={KEY}")
    r = fail("report bulletin --send -f text")
    no_key(r)
    assert "delivery failed" in r.err
    fail("report bulletin --send --explain totals.open", code=2)


def test_long_text_fits_a_wecom_message() -> None:
    text = "".join(
        f"JF-2026-{i:04d} 城庄村 首办王五 逾期{i}天（时限10月28日）\n" for i in range(200)
    )
    content = webhook.payload("https://qyapi.weixin.qq.com/x?key=k", "t", text)["markdown"]
    assert isinstance(content, dict)
    body = content["content"]
    assert len(body.encode("utf-8")) <= webhook.WECOM_LIMIT
    lines = body.splitlines()
    assert lines[0] == "JF-2026-0000 城庄村 首办王五 逾期0天（时限10月28日）"
    assert text.startswith("\n".join(lines[:-1]) + "\n") and lines[-1].startswith("...")
    short = webhook.payload("https://qyapi.weixin.qq.com/x?key=k", "t", "一行\n")
    assert short == {"msgtype": "markdown", "markdown": {"content": "一行"}}
