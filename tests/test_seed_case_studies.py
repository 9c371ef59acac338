"""The findings the official inquiries reached, as the four case-study maps show them.

Each test names the inquiry finding it checks (case-studies.md, "Expected analysis
findings"); every number below is hand-checked from the map file.
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
    salience,
    seed,
    spofs,
    without_contest_path,
)

ROBODEBT = "robodebt"
DUTCH = "dutch-childcare-benefits"
OFQUAL = "ofqual-2020"
MIDAS = "michigan-midas"


def _incentives_on(name: str, target: str) -> dict[str, str]:
    """Incentive id → polarity, for every incentive that INCENTIVIZES target."""
    polarity = {n.id: n.polarity.value for n in seed(name).nodes if n.kind == "Incentive"}
    return {e.from_: polarity[e.from_] for e in edges(name, "INCENTIVIZES") if e.to == target}


# ── Robodebt ──


def test_robodebt_tribunal_decisions_never_fed_back() -> None:
    """AAT set-asides did not change the scheme: no feedback reaches it."""
    feedback = loop(ROBODEBT, "oci", "recipients")
    assert (feedback["status"], feedback["path"]) == ("BROKEN", None)
    assert edges(ROBODEBT, "FEEDS_BACK_TO") == []


def test_robodebt_best_route_is_internal_review_under_a_reverse_onus() -> None:
    p = pair(ROBODEBT, "oci", "recipients")
    assert p["path"] == ["recipients", "internal-review", "review-officers"]
    assert p["accessibility"] == pytest.approx(0.2)
    # ~900,000 debts over 53 months ≈ 17,000/month × 0.52 (470,000 repaid / 900,000)
    assert p["demandPerMonth"] == pytest.approx(17_000 * 0.52)
    # No source states any channel's capacity, so coverage cannot fall below 1: the status
    # says only that a path to an authority exists.
    assert p["status"] == "EFFECTIVE"
    assert mechanism(ROBODEBT, "internal-review")["capacityPerMonth"] is None


def test_robodebt_ombudsman_and_parliament_reach_no_one_with_power() -> None:
    authorities = pair(ROBODEBT, "oci", "recipients")["authorities"]
    assert {"dhs", "review-officers", "aat", "federal-court"} <= set(authorities)
    for paper_channel in ("ombudsman", "senate-committee", "oaic", "royal-commission"):
        assert paper_channel not in authorities


def test_robodebt_recipients_reach_the_court_only_through_representatives() -> None:
    """Affected people had no direct route to an overseer; only legal aid (Amato) and
    the class action (Prygodicz) brought the Federal Court in."""
    court_channels = {e.from_ for e in edges(ROBODEBT, "HANDLED_BY") if e.to == "federal-court"}
    assert court_channels == {"amato-test-case", "class-action"}
    who_files = {e.from_ for e in edges(ROBODEBT, "CAN_CONTEST_VIA") if e.to in court_channels}
    assert who_files == {"victoria-legal-aid", "gordon-legal"}
    represented = {(e.from_, e.to) for e in edges(ROBODEBT, "REPRESENTS")}
    assert {(org, "recipients") for org in who_files} <= represented


def test_robodebt_budget_savings_and_collectors_incentives() -> None:
    assert _incentives_on(ROBODEBT, "dhs") == {"budget-savings": "AGAINST_SAFETY"}
    assert _incentives_on(ROBODEBT, "ministers") == {"budget-savings": "AGAINST_SAFETY"}
    # externally contracted collectors: paid by DHS, incentivised, overseen by no one
    assert _incentives_on(ROBODEBT, "debt-collectors") == {"collection-contracts": "AGAINST_SAFETY"}
    assert ("dhs", "debt-collectors") in {(e.from_, e.to) for e in edges(ROBODEBT, "FUNDS")}
    assert not [e for e in edges(ROBODEBT, "OVERSEES") if e.to == "debt-collectors"]


def test_robodebt_automation_bias_and_gaps() -> None:
    assert bias(ROBODEBT) == {"oci": ("HIGH", ["HIGH_STAKES_AUTOMATION", "PRESSURED_OPERATORS"])}
    # DHS is bound case by case by the AAT and the Federal Court, so no structural gap
    assert gaps(ROBODEBT) == set()
    assert spofs(ROBODEBT) == {}


# ── Dutch childcare benefits ──


def test_dutch_objection_is_overloaded() -> None:
    """Objections took ~1.5 years (Ombudsman 2017)."""
    p = pair(DUTCH, "risk-model", "parents")
    assert p["status"] == "OVERLOADED"
    assert p["path"] == ["parents", "objection", "toeslagen"]
    assert p["accessibility"] == pytest.approx(0.1)
    m = mechanism(DUTCH, "objection")
    assert m["loadPerMonth"] == pytest.approx(420)
    assert m["utilization"] == pytest.approx(420 / 13)
    assert p["coverage"] == pytest.approx(13 / 420)


def test_dutch_court_route_exists_but_only_through_the_objection() -> None:
    """Objection → court was present but neutralised: the courts are an authority, reached
    only through the overloaded objection, and bound by the same all-or-nothing law."""
    authorities = pair(DUTCH, "risk-model", "parents")["authorities"]
    assert {"toeslagen", "admin-courts", "ap"} <= set(authorities)
    assert "national-ombudsman" not in authorities
    assert spofs(DUTCH) == {"objection": [["risk-model", "parents"]]}
    assert _incentives_on(DUTCH, "admin-courts") == {"all-or-nothing-law": "AGAINST_SAFETY"}
    assert _incentives_on(DUTCH, "toeslagen")["fraud-pressure"] == "AGAINST_SAFETY"


def test_dutch_children_reach_only_the_kinderombudsman() -> None:
    p = pair(DUTCH, "risk-model", "children")
    assert (p["status"], p["path"]) == ("NO_AUTHORITY", None)
    assert without_contest_path(DUTCH) == ["children"]
    assert loop(DUTCH, "risk-model", "children")["status"] == "BROKEN"


def test_dutch_objections_reach_the_developer_who_ignored_them() -> None:
    feedback = loop(DUTCH, "risk-model", "parents")
    assert feedback["status"] == "PRESENT"
    assert feedback["path"] == ["parents", "objection", "toeslagen"]


def test_dutch_nationality_indicator_and_late_dpa_oversight() -> None:
    model = seed(DUTCH).node("risk-model")
    assert model is not None
    assert model.attributes["nationalityIndicator"] == "Dutch / non-Dutch"
    parents = seed(DUTCH).node("parents")
    assert parents is not None
    assert "protected-characteristic:nationality" in parents.tags
    (dpa,) = [e for e in edges(DUTCH, "OVERSEES") if e.from_ == "ap"]
    assert dpa.authority.value == "BINDING"
    assert str(dpa.attributes["fineAnnounced"]) > str(
        dpa.attributes["indicatorDroppedFromRiskModel"]
    )


def test_dutch_automation_bias_salience_and_gaps() -> None:
    # a human confirmed each fraud label, under pressure: one flag
    assert bias(DUTCH) == {"risk-model": ("MEDIUM", ["PRESSURED_OPERATORS"])}
    assert salience(DUTCH)["parents"] == "DEPENDENT"
    assert salience(DUTCH)["children"] == "DEPENDENT"
    assert gaps(DUTCH) == set()
    blocked = power(DUTCH, "toeslagen", "children")
    assert blocked["asymmetry"] >= 0.9 * blocked["powerOver"] - 1e-3


# ── Ofqual 2020 ──


STUDENT_GROUPS = ("students", "college-students", "small-cohort-students")


def test_ofqual_students_could_not_appeal_themselves() -> None:
    contesting = {e.from_ for e in edges(OFQUAL, "CAN_CONTEST_VIA")}
    assert contesting.isdisjoint(STUDENT_GROUPS)
    for group in STUDENT_GROUPS:
        assert pair(OFQUAL, "dcp-model", group)["path"][:2] == [group, "centres"]


def test_ofqual_centres_are_the_single_gate_where_no_lawyer_stepped_in() -> None:
    assert spofs(OFQUAL) == {
        "centres": [["dcp-model", "college-students"], ["dcp-model", "small-cohort-students"]]
    }


def test_ofqual_the_mock_appeal_route_collapsed() -> None:
    p = pair(OFQUAL, "dcp-model", "students")
    assert p["status"] == "OVERLOADED"
    assert p["path"] == ["students", "centres", "mock-appeal", "exam-boards"]
    assert p["demandPerMonth"] == pytest.approx(280_000)
    assert p["coverage"] == 0
    m = mechanism(OFQUAL, "mock-appeal")
    assert (m["capacityPerMonth"], m["utilization"], m["coverage"]) == (0, None, 0)


def test_ofqual_designed_the_model_and_set_the_appeal_rules() -> None:
    assert ("CONFLICT_OF_INTEREST", "ofqual") in gaps(OFQUAL)
    developed = {e.to for e in edges(OFQUAL, "DEVELOPS") if e.from_ == "ofqual"}
    overseen = {e.to for e in edges(OFQUAL, "OVERSEES") if e.from_ == "ofqual"}
    assert "dcp-model" in developed & overseen
    for appeal in ("centre-appeal", "mock-appeal"):
        node = seed(OFQUAL).node(appeal)
        assert node is not None and node.attributes["rulesSetBy"] == "ofqual"


def test_ofqual_the_fix_came_from_outside_every_contest_channel() -> None:
    """The 17 August U-turn was political; no contest channel reaches the designer."""
    for group in STUDENT_GROUPS:
        assert loop(OFQUAL, "dcp-model", group)["status"] == "BROKEN"
    # public pressure reached ministers, who neither build nor run the model
    assert "dfe" not in pair(OFQUAL, "dcp-model", "students")["authorities"]


def test_ofqual_automation_bias_and_salience() -> None:
    assert bias(OFQUAL) == {"dcp-model": ("MEDIUM", ["HIGH_STAKES_AUTOMATION"])}
    classes = salience(OFQUAL)
    assert classes["students"] == "DEPENDENT"
    assert classes["college-students"] == "DEPENDENT"
    # teacher grades were kept for small cohorts: affected, but without urgency
    assert classes["small-cohort-students"] == "DISCRETIONARY"


# ── Michigan MiDAS ──


def test_midas_human_review_was_removed() -> None:
    """No independent verification of computer-identified fraud until August 2015."""
    p = pair(MIDAS, "midas", "claimants")
    assert p["status"] == "OVERLOADED"
    assert p["path"] == ["claimants", "midas-notice", "human-fraud-review", "uia"]
    assert p["demandPerMonth"] == pytest.approx(2240 * 0.93)
    assert p["coverage"] == 0
    m = mechanism(MIDAS, "human-fraud-review")
    assert (m["capacityPerMonth"], m["coverage"]) == (0, 0)
    assert m["loadPerMonth"] == pytest.approx(2240 * 0.93)


def test_midas_notice_channel_is_near_unusable() -> None:
    assert pair(MIDAS, "midas", "claimants")["accessibility"] == pytest.approx(0.05)
    notice = seed(MIDAS).node("midas-notice")
    assert notice is not None and notice.accessibility is not None
    assert notice.accessibility <= 0.05


def test_midas_automation_bias_has_every_flag() -> None:
    assert bias(MIDAS) == {
        "midas": ("HIGH", ["HIGH_STAKES_AUTOMATION", "NO_OVERRIDE", "PRESSURED_OPERATORS"])
    }


def test_midas_penalty_fund_is_a_perverse_incentive() -> None:
    assert _incentives_on(MIDAS, "uia") == {
        "penalty-fund": "AGAINST_SAFETY",
        "cost-savings": "AGAINST_SAFETY",
    }
    fund = seed(MIDAS).node("penalty-fund")
    assert fund is not None
    assert fund.attributes["fundUSD2011"] == 3_100_000
    assert fund.attributes["fundUSDPerHouseFiscalAgency"] == 102_000_000


def test_midas_vendors_answer_only_to_private_litigation() -> None:
    assert gaps(MIDAS) == {("UNACCOUNTABLE_ACTOR", "fast"), ("UNACCOUNTABLE_ACTOR", "csg")}
    vendor_suit = {e.to for e in edges(MIDAS, "CAN_CONTEST_VIA")}
    assert "cahoo-suit" in vendor_suit


def test_midas_feedback_came_only_through_litigation() -> None:
    feedback = loop(MIDAS, "midas", "claimants")
    assert feedback["status"] == "PRESENT"
    assert feedback["path"] == ["claimants", "counsel", "zynda-suit", "midas"]
    assert salience(MIDAS)["claimants"] == "DEPENDENT"
