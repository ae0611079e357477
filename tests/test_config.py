"""Policy settings: defaults from domain.md, validated values, audited changes."""

from __future__ import annotations

from sanling.config import Policy
from tests.helpers import fail, run


def test_defaults_follow_the_domain(town: str) -> None:
    rows = {r["key"]: r for r in run("config list -f json").json()}
    assert rows["dispute_deadline_days"]["value"] == "15"
    assert rows["dispute_deadline_days_high"]["value"] == "7"
    assert rows["hazard_deadline_days_general"]["value"] == "30"
    assert rows["hazard_deadline_days_major"]["value"] == "90"
    assert rows["due_soon_days"]["value"] == "3"
    assert rows["petition_breaking_level"]["value"] == "city"
    assert rows["petition_collective_people"]["value"] == "5"
    assert rows["timezone"]["value"] == "Asia/Shanghai"
    assert set(rows) == set(Policy.model_fields)


def test_set_and_get(town: str) -> None:
    assert run("config set due_soon_days 5").out.strip() == "due_soon_days = 5"
    assert run("config get due_soon_days").out.strip() == "5"
    run("config set petition_breaking_level province")
    assert run("config get petition_breaking_level").out.strip() == "province"
    run("config set petition_abnormal_breaks 否")
    assert run("config get petition_abnormal_breaks").out.strip() == "false"
    entry = run("log --ref due_soon_days -f json").json()[0]
    assert entry["action"] == "config.set" and "due_soon_days=3" in entry["before"]


def test_bad_values_show_the_allowed_range(town: str) -> None:
    r = fail("config set due_soon_days 99")
    assert "allowed: int >= 0 and <= 60" in r.err
    assert "allowed: int" in fail("config set dispute_deadline_days soon").err
    assert (
        "town|county|city|province|national"
        in fail("config set petition_breaking_level village").err
    )
    assert "no setting named" in fail("config set nonsense 1").err
    assert "no setting named" in fail("config get nonsense").err
    assert "unknown time zone" in fail("config set timezone Mars/Base").err


def test_webhook_keys_are_never_printed(town: str) -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY-123"
    r = run("config", "set", "bulletin_webhooks", url)
    assert "SECRET-KEY-123" not in r.out
    assert "qyapi.weixin.qq.com" in r.out
    assert "SECRET-KEY-123" not in run("config list -f json").out
    assert "SECRET-KEY-123" not in run("config get bulletin_webhooks").out
    assert "SECRET-KEY-123" not in run("log -f json").out
    run("config set bulletin_dingtalk_secret SEC999")
    assert "SEC999" not in run("config list").out


def test_grading_thresholds_stay_in_order(town: str) -> None:
    assert "must not be below threshold_general (3)" in fail("config set threshold_key 1").err
    assert "threshold_key (8) must not be below" in fail("config set threshold_general 9").err
    run("config set threshold_key 20")
    run("config set threshold_general 10")
    assert run("config get threshold_general").out.strip() == "10.0"
