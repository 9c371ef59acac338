"""Findings the two illustrative seed maps (issue 2) are built to show, hand-checked.

content-moderation: an overloaded appeal queue, privileged review for high-profile
accounts, a hash database that platform appeals never reach, moderators whose grievances
stop at their vendor, communities with no channel at all, oversight funded by the overseen.

customer-chatbot: human escalation overwhelmed by volume, error feedback that never reaches
the vendor, customers with no usable channel, a general-purpose model nobody deploys or
oversees.
"""

from __future__ import annotations

import pytest

from tests.test_seed_maps import (
    bias,
    edges,
    gaps,
    loop,
    mechanism,
    pair,
    power,
    report,
    salience,
    spofs,
    without_contest_path,
)

CM = "content-moderation"
BOT = "customer-chatbot"


# ── content moderation ──


def test_creators_appeal_into_an_overloaded_queue() -> None:
    p = pair(CM, "removal-classifier", "creators")
    assert p["status"] == "OVERLOADED"
    assert p["path"] == ["creators", "in-app-appeal", "moderators"]
    assert p["accessibility"] == pytest.approx(0.7)
    # demand = 1,000,000 removals/month × error rate 0.1
    assert p["demandPerMonth"] == pytest.approx(100_000)
    # the queue also carries the documenters' 20,000 × 0.1 = 2,000
    assert p["coverage"] == pytest.approx(40_000 / 102_000)


def test_the_appeal_queue_runs_at_two_and_a_half_times_its_capacity() -> None:
    m = mechanism(CM, "in-app-appeal")
    assert m["loadPerMonth"] == pytest.approx(102_000)
    assert m["utilization"] == pytest.approx(2.55)
    assert m["utilization"] > 1
    assert m["coverage"] < 1


def test_high_profile_accounts_get_an_effective_privileged_review() -> None:
    p = pair(CM, "removal-classifier", "high-profile-accounts")
    assert p["status"] == "EFFECTIVE"
    assert p["path"] == ["high-profile-accounts", "crosscheck-review", "platform"]
    assert p["coverage"] == 1
    assert mechanism(CM, "crosscheck-review")["utilization"] == pytest.approx(0.04)


def test_hash_matched_documenters_cannot_reach_the_consortium() -> None:
    p = pair(CM, "hash-database", "rights-documenters")
    assert p["status"] == "NO_AUTHORITY"
    assert p["authorities"] == ["hash-consortium"]
    assert p["path"] is None
    # the same people can contest the platform's own classifier, through the same queue
    assert pair(CM, "removal-classifier", "rights-documenters")["status"] == "OVERLOADED"


def test_moderators_grievances_stop_at_the_vendor() -> None:
    p = pair(CM, "removal-classifier", "moderators")
    assert p["status"] == "NO_AUTHORITY"
    assert "moderators" not in p["authorities"]  # never their own authority
    assert "moderation-vendor" not in p["authorities"]


def test_targeted_communities_have_no_channel_at_all() -> None:
    assert pair(CM, "removal-classifier", "targeted-communities")["status"] == "NONE"


def test_who_is_without_a_contest_path() -> None:
    assert without_contest_path(CM) == ["moderators", "rights-documenters", "targeted-communities"]


def test_feedback_reaches_the_classifier_but_not_the_hash_database() -> None:
    creators = loop(CM, "removal-classifier", "creators")
    assert creators["status"] == "PRESENT"
    assert creators["path"] == ["creators", "in-app-appeal", "moderators", "removal-classifier"]
    documenters = loop(CM, "hash-database", "rights-documenters")
    assert (documenters["status"], documenters["path"]) == ("BROKEN", None)
    assert loop(CM, "removal-classifier", "targeted-communities")["status"] == "BROKEN"


def test_content_moderation_accountability_gaps() -> None:
    assert gaps(CM) == {
        ("ADVISORY_ONLY_OVERSIGHT", "hash-database"),
        # the oversight board oversees the platform that funds it
        ("CONFLICT_OF_INTEREST", "oversight-board"),
    }


def test_content_moderation_automation_bias() -> None:
    assert bias(CM) == {
        "removal-classifier": ("HIGH", ["HIGH_STAKES_AUTOMATION", "PRESSURED_OPERATORS"]),
        "hash-database": ("MEDIUM", ["HIGH_STAKES_AUTOMATION"]),
    }


def test_the_internal_appeal_is_a_single_point_of_failure() -> None:
    assert spofs(CM)["in-app-appeal"] == [
        ["removal-classifier", "creators"],
        ["removal-classifier", "rights-documenters"],
    ]


def test_content_moderation_salience() -> None:
    classes = salience(CM)
    assert classes["platform"] == "DOMINANT"
    assert classes["advertisers"] == "DORMANT"
    assert classes["moderators"] == "DEFINITIVE"
    assert classes["creators"] == "DISCRETIONARY"
    assert classes["targeted-communities"] == "DEPENDENT"
    assert classes["rights-documenters"] == "DEPENDENT"


def test_power_asymmetry_orders_the_platforms_stakeholders() -> None:
    targeted = power(CM, "platform", "targeted-communities")
    creators = power(CM, "platform", "creators")
    privileged = power(CM, "platform", "high-profile-accounts")
    assert targeted["asymmetry"] >= 0.9 * targeted["powerOver"] - 1e-3
    assert targeted["asymmetry"] > creators["asymmetry"] > privileged["asymmetry"]


# ── customer chatbot ──


def test_escalation_to_a_human_is_overwhelmed() -> None:
    p = pair(BOT, "chatbot", "customers")
    assert p["status"] == "OVERLOADED"
    assert p["path"] == ["customers", "escalate-to-agent", "agents"]
    assert p["demandPerMonth"] == pytest.approx(500_000 * 0.05)
    assert p["coverage"] == pytest.approx(0.4)
    m = mechanism(BOT, "escalate-to-agent")
    assert m["utilization"] == pytest.approx(2.5)


def test_customers_with_limited_english_have_no_channel() -> None:
    p = pair(BOT, "chatbot", "lep-customers")
    assert (p["status"], p["path"]) == ("NONE", None)
    assert without_contest_path(BOT) == ["lep-customers"]


def test_no_complaint_ever_reaches_the_vendor_that_tunes_the_bot() -> None:
    feedback = loop(BOT, "chatbot", "customers")
    assert (feedback["status"], feedback["path"]) == ("BROKEN", None)
    assert edges(BOT, "FEEDS_BACK_TO") == []
    # complaints, small claims and regulator complaints all end at authorities of the
    # chatbot, yet none of them is its developer
    assert "chatbot-vendor" in pair(BOT, "chatbot", "customers")["authorities"]


def test_chatbot_accountability_gaps() -> None:
    assert gaps(BOT) == {
        ("NO_DEPLOYER", "foundation-model"),
        ("UNOVERSEEN", "foundation-model"),
        ("UNACCOUNTABLE_ACTOR", "model-provider"),
    }


def test_chatbot_automation_bias() -> None:
    assert bias(BOT) == {"chatbot": ("HIGH", ["HIGH_STAKES_AUTOMATION", "PRESSURED_OPERATORS"])}


def test_chatbot_salience_and_power() -> None:
    classes = salience(BOT)
    assert classes["company"] == "DOMINANT"
    assert classes["customers"] == "DEPENDENT"
    assert classes["lep-customers"] == "DEPENDENT"
    blocked = power(BOT, "company", "lep-customers")
    assert blocked["asymmetry"] >= 0.9 * blocked["powerOver"] - 1e-3
    assert blocked["asymmetry"] > power(BOT, "company", "customers")["asymmetry"]


def test_chatbot_recommendations_fix_the_two_contest_findings() -> None:
    by_finding = {r["finding"]: r for r in report(BOT)["recommendations"]}
    assert "contest:NONE:chatbot:lep-customers" in by_finding
    capacity_fix = by_finding["contest:OVERLOADED:chatbot:customers"]
    raised = [
        c["fields"]["capacityPerMonth"]
        for c in capacity_fix["changes"]
        if c.get("op") == "setFields" and c.get("node") == "escalate-to-agent"
    ]
    assert raised and raised[0] >= 25_000
