// The map vocabulary (SPEC §1) as the explorer draws and edits it: node kinds with their own
// fields, shape and colour; edge kinds with their endpoints, fields and line style.
// Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); every kind
// also differs by shape or dash pattern, so colour is never the only cue.

export const OKABE_ITO = {
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
  black: "#000000",
};

const LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const UNIT = { type: "number", min: 0, max: 1, step: "any" };
const COUNT = { type: "number", min: 0, step: "any" };

export const NODE_KINDS = {
  AISystem: {
    label: "AI system",
    color: OKABE_ITO.blue,
    border: "#004f7c",
    font: "#ffffff",
    shape: "box",
    fields: [
      { name: "domain", type: "text" },
      { name: "purpose", type: "text" },
      {
        name: "automationLevel",
        type: "enum",
        values: ["ADVISORY", "HUMAN_IN_THE_LOOP", "HUMAN_ON_THE_LOOP", "FULLY_AUTOMATED"],
      },
      { name: "stakes", type: "enum", values: LEVELS },
      { name: "errorRate", ...UNIT },
    ],
  },
  Organization: {
    label: "Organization",
    color: OKABE_ITO.skyBlue,
    border: "#2a7fb0",
    font: "#000000",
    shape: "ellipse",
    fields: [
      { name: "sector", type: "enum", values: ["PUBLIC", "PRIVATE", "NONPROFIT", "ACADEMIC", "OTHER"] },
    ],
  },
  UserGroup: {
    label: "User group",
    color: OKABE_ITO.yellow,
    border: "#8a8200",
    font: "#000000",
    shape: "square",
    fields: [{ name: "size", ...COUNT }],
  },
  AffectedCommunity: {
    label: "Affected community",
    color: OKABE_ITO.orange,
    border: "#8f6300",
    font: "#000000",
    shape: "dot",
    fields: [
      { name: "population", ...COUNT },
      { name: "vulnerability", type: "enum", values: ["LOW", "MEDIUM", "HIGH"] },
    ],
  },
  OversightBody: {
    label: "Oversight body",
    color: OKABE_ITO.reddishPurple,
    border: "#8c3f6c",
    font: "#000000",
    shape: "diamond",
    fields: [
      {
        name: "bodyType",
        type: "enum",
        values: [
          "REGULATOR",
          "OMBUDSMAN",
          "COURT",
          "TRIBUNAL",
          "AUDITOR",
          "BOARD",
          "LEGISLATURE",
          "OTHER",
        ],
      },
    ],
  },
  Mechanism: {
    label: "Mechanism",
    color: OKABE_ITO.bluishGreen,
    border: "#005c44",
    font: "#000000",
    shape: "hexagon",
    fields: [
      {
        name: "mechanismType",
        type: "enum",
        values: [
          "APPEAL",
          "COMPLAINT",
          "HUMAN_REVIEW",
          "FEEDBACK",
          "AUDIT",
          "LEGAL_ACTION",
          "ESCALATION",
        ],
      },
      { name: "capacityPerMonth", ...COUNT },
      { name: "accessibility", ...UNIT },
    ],
  },
  Incentive: {
    label: "Incentive",
    color: OKABE_ITO.vermillion,
    border: "#8a3d00",
    font: "#000000",
    shape: "triangle",
    fields: [
      { name: "polarity", type: "enum", values: ["TOWARD_SAFETY", "AGAINST_SAFETY", "MIXED"] },
      { name: "strength", ...UNIT },
    ],
  },
};

const GREY = "#5b5b5b";
const ACTORS = ["Organization", "OversightBody"];

// dashes: false (solid) or a vis-network / SVG dash pattern.
export const EDGE_KINDS = {
  DEVELOPS: { from: ACTORS, to: ["AISystem"], color: GREY, dashes: false, width: 1.5, fields: [] },
  DEPLOYS: { from: ACTORS, to: ["AISystem"], color: GREY, dashes: false, width: 3, fields: [] },
  OPERATES: {
    from: ["UserGroup"],
    to: ["AISystem"],
    color: GREY,
    dashes: [6, 2, 1, 2],
    width: 1.5,
    fields: [{ name: "canOverride", type: "boolean" }],
  },
  EMPLOYS: { from: ACTORS, to: ["UserGroup"], color: GREY, dashes: [1, 3], width: 1.5, fields: [] },
  AFFECTS: {
    from: ["AISystem"],
    to: ["AffectedCommunity", "UserGroup"],
    color: OKABE_ITO.vermillion,
    dashes: false,
    width: 2.5,
    fields: [
      { name: "severity", type: "enum", values: LEVELS },
      { name: "volumePerMonth", ...COUNT },
      { name: "contestsPerMonth", ...COUNT },
    ],
  },
  CAN_CONTEST_VIA: {
    from: ["AffectedCommunity", "UserGroup", "Organization"],
    to: ["Mechanism"],
    color: OKABE_ITO.bluishGreen,
    dashes: [8, 4],
    width: 2,
    fields: [],
  },
  HANDLED_BY: {
    from: ["Mechanism"],
    to: ["Mechanism", "Organization", "OversightBody", "UserGroup"],
    color: OKABE_ITO.bluishGreen,
    dashes: false,
    width: 2,
    fields: [],
  },
  OVERSEES: {
    from: ["OversightBody"],
    to: ["Organization", "AISystem", "OversightBody"],
    color: OKABE_ITO.reddishPurple,
    dashes: [12, 4, 2, 4],
    width: 2,
    fields: [{ name: "authority", type: "enum", values: ["ADVISORY", "BINDING"] }],
  },
  ACCOUNTABLE_TO: {
    from: ["Organization"],
    to: ["Organization", "OversightBody"],
    color: OKABE_ITO.reddishPurple,
    dashes: [3, 3],
    width: 1.5,
    fields: [],
  },
  FUNDS: { from: ACTORS, to: ACTORS, color: OKABE_ITO.orange, dashes: [10, 4], width: 2, fields: [] },
  INCENTIVIZES: {
    from: ["Incentive"],
    to: ["Organization", "UserGroup", "OversightBody"],
    color: OKABE_ITO.vermillion,
    dashes: [2, 4],
    width: 1.5,
    fields: [],
  },
  FEEDS_BACK_TO: {
    from: ["Mechanism", "UserGroup", "OversightBody", "AffectedCommunity"],
    to: ["Organization", "AISystem"],
    color: OKABE_ITO.blue,
    dashes: [6, 3],
    width: 1.5,
    fields: [],
  },
  REPRESENTS: {
    from: ["Organization"],
    to: ["AffectedCommunity", "UserGroup"],
    color: OKABE_ITO.skyBlue,
    dashes: [3, 3],
    width: 2,
    fields: [],
  },
  PARTICIPATES_IN: {
    from: ["AffectedCommunity", "UserGroup"],
    to: ["AISystem"],
    color: OKABE_ITO.skyBlue,
    dashes: [1, 3],
    width: 2,
    fields: [],
  },
};

// Edges a contest or feedback path walks along; preferred when a path is drawn on the graph.
export const PATH_EDGE_KINDS = new Set(["CAN_CONTEST_VIA", "HANDLED_BY", "REPRESENTS", "FEEDS_BACK_TO"]);

export const HIGHLIGHT = OKABE_ITO.black;

/** "capacityPerMonth" → "Capacity per month". */
export function fieldLabel(name) {
  const words = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "HUMAN_IN_THE_LOOP" → "human in the loop". */
export function enumLabel(value) {
  return String(value).toLowerCase().replaceAll("_", " ");
}

export function nodeKindLabel(kind) {
  return NODE_KINDS[kind]?.label ?? kind;
}
