"""Node kinds, edge kinds, their enumerated field values, and which endpoints each edge allows."""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    AI_SYSTEM = "AISystem"
    ORGANIZATION = "Organization"
    USER_GROUP = "UserGroup"
    AFFECTED_COMMUNITY = "AffectedCommunity"
    OVERSIGHT_BODY = "OversightBody"
    MECHANISM = "Mechanism"
    INCENTIVE = "Incentive"


class EdgeKind(StrEnum):
    DEVELOPS = "DEVELOPS"
    DEPLOYS = "DEPLOYS"
    OPERATES = "OPERATES"
    EMPLOYS = "EMPLOYS"
    AFFECTS = "AFFECTS"
    CAN_CONTEST_VIA = "CAN_CONTEST_VIA"
    HANDLED_BY = "HANDLED_BY"
    OVERSEES = "OVERSEES"
    ACCOUNTABLE_TO = "ACCOUNTABLE_TO"
    FUNDS = "FUNDS"
    INCENTIVIZES = "INCENTIVIZES"
    FEEDS_BACK_TO = "FEEDS_BACK_TO"
    REPRESENTS = "REPRESENTS"
    PARTICIPATES_IN = "PARTICIPATES_IN"


class AutomationLevel(StrEnum):
    ADVISORY = "ADVISORY"
    HUMAN_IN_THE_LOOP = "HUMAN_IN_THE_LOOP"
    HUMAN_ON_THE_LOOP = "HUMAN_ON_THE_LOOP"
    FULLY_AUTOMATED = "FULLY_AUTOMATED"


class Level(StrEnum):
    """Stakes of a system and severity of an impact."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class Vulnerability(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class Sector(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"
    NONPROFIT = "NONPROFIT"
    ACADEMIC = "ACADEMIC"
    OTHER = "OTHER"


class BodyType(StrEnum):
    REGULATOR = "REGULATOR"
    OMBUDSMAN = "OMBUDSMAN"
    COURT = "COURT"
    TRIBUNAL = "TRIBUNAL"
    AUDITOR = "AUDITOR"
    BOARD = "BOARD"
    LEGISLATURE = "LEGISLATURE"
    OTHER = "OTHER"


class MechanismType(StrEnum):
    APPEAL = "APPEAL"
    COMPLAINT = "COMPLAINT"
    HUMAN_REVIEW = "HUMAN_REVIEW"
    FEEDBACK = "FEEDBACK"
    AUDIT = "AUDIT"
    LEGAL_ACTION = "LEGAL_ACTION"
    ESCALATION = "ESCALATION"


class Polarity(StrEnum):
    TOWARD_SAFETY = "TOWARD_SAFETY"
    AGAINST_SAFETY = "AGAINST_SAFETY"
    MIXED = "MIXED"


class Authority(StrEnum):
    ADVISORY = "ADVISORY"
    BINDING = "BINDING"


HIGH_STAKES = frozenset({Level.HIGH, Level.CRITICAL})

_K = NodeKind
_ORG_OR_BODY = frozenset({_K.ORGANIZATION, _K.OVERSIGHT_BODY})

#: For each edge kind: (allowed source kinds, allowed target kinds), as SPEC §1 fixes them.
ENDPOINTS: dict[EdgeKind, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    EdgeKind.DEVELOPS: (_ORG_OR_BODY, frozenset({_K.AI_SYSTEM})),
    EdgeKind.DEPLOYS: (_ORG_OR_BODY, frozenset({_K.AI_SYSTEM})),
    EdgeKind.OPERATES: (frozenset({_K.USER_GROUP}), frozenset({_K.AI_SYSTEM})),
    EdgeKind.EMPLOYS: (_ORG_OR_BODY, frozenset({_K.USER_GROUP})),
    EdgeKind.AFFECTS: (
        frozenset({_K.AI_SYSTEM}),
        frozenset({_K.AFFECTED_COMMUNITY, _K.USER_GROUP}),
    ),
    EdgeKind.CAN_CONTEST_VIA: (
        frozenset({_K.AFFECTED_COMMUNITY, _K.USER_GROUP, _K.ORGANIZATION}),
        frozenset({_K.MECHANISM}),
    ),
    EdgeKind.HANDLED_BY: (
        frozenset({_K.MECHANISM}),
        frozenset({_K.MECHANISM, _K.ORGANIZATION, _K.OVERSIGHT_BODY, _K.USER_GROUP}),
    ),
    EdgeKind.OVERSEES: (
        frozenset({_K.OVERSIGHT_BODY}),
        frozenset({_K.ORGANIZATION, _K.AI_SYSTEM, _K.OVERSIGHT_BODY}),
    ),
    EdgeKind.ACCOUNTABLE_TO: (frozenset({_K.ORGANIZATION}), _ORG_OR_BODY),
    EdgeKind.FUNDS: (_ORG_OR_BODY, _ORG_OR_BODY),
    EdgeKind.INCENTIVIZES: (
        frozenset({_K.INCENTIVE}),
        frozenset({_K.ORGANIZATION, _K.USER_GROUP, _K.OVERSIGHT_BODY}),
    ),
    EdgeKind.FEEDS_BACK_TO: (
        frozenset({_K.MECHANISM, _K.USER_GROUP, _K.OVERSIGHT_BODY, _K.AFFECTED_COMMUNITY}),
        frozenset({_K.ORGANIZATION, _K.AI_SYSTEM}),
    ),
    EdgeKind.REPRESENTS: (
        frozenset({_K.ORGANIZATION}),
        frozenset({_K.AFFECTED_COMMUNITY, _K.USER_GROUP}),
    ),
    EdgeKind.PARTICIPATES_IN: (
        frozenset({_K.AFFECTED_COMMUNITY, _K.USER_GROUP}),
        frozenset({_K.AI_SYSTEM}),
    ),
}
