// The GraphQL operations the explorer runs, each a small function over the one client.

import { api } from "./api.js";

const NODE_FIELDS = `fragment NodeFields on MapNode {
  id kind name description tags sources attributes
  ... on AISystem { domain purpose automationLevel stakes errorRate }
  ... on Organization { sector }
  ... on UserGroup { size }
  ... on AffectedCommunity { population vulnerability }
  ... on OversightBody { bodyType }
  ... on Mechanism { mechanismType capacityPerMonth accessibility }
  ... on Incentive { polarity strength }
}`;

const EDGE_FIELDS = `fragment EdgeFields on MapEdge {
  id kind fromId toId description sources attributes
  canOverride severity volumePerMonth contestsPerMonth authority
}`;

const MAP_FIELDS = "id title description tags version nodeCount edgeCount updatedAt";

const ANALYSIS_FIELDS = `fragment AnalysisFields on Analysis {
  map { id title version nodeCount edgeCount }
  contestPairs { key system stakeholder status authorities path accessibility demandPerMonth coverage }
  withoutContestPath { key id name kind pairs { system status } }
  mechanisms { key id capacityPerMonth loadPerMonth utilization coverage }
  feedbackLoops { key system stakeholder status path }
  accountabilityGaps { key type subject related reason }
  automationBias { key system level flags }
  singlePointsOfFailure { key node kind pairs }
  salience { key stakeholder kind power legitimacy urgency class }
  powerAsymmetry { key actor stakeholder system powerOver counterPower asymmetry reasons }
  recommendations { key resolves title rationale scenarioChanges }
}`;

export async function listMaps() {
  const data = await api.graphql(`{ maps { ${MAP_FIELDS} } }`);
  return data.maps;
}

function nodeRecord(n) {
  return { description: null, tags: [], sources: [], attributes: {}, ...n };
}

function edgeRecord(e) {
  const { from, to, ...rest } = e;
  return { id: e.id || `${from}--${e.kind}--${to}`, description: null, sources: [], attributes: {}, ...rest, fromId: from, toId: to };
}

/**
 * A whole map: its metadata and version from GraphQL, then every node, edge and source from
 * the JSON export (one request in the documented map-file format, several times faster than
 * paging through nodes and edges for large maps). Should an edit land in between, the older
 * version makes the next edit fail with CONFLICT, and the explorer reloads.
 */
export async function loadMap(mapId) {
  const data = await api.graphql(`query($mapId: ID!) { map(id: $mapId) { ${MAP_FIELDS} } }`, { mapId });
  const doc = await api.json(`/api/maps/${encodeURIComponent(mapId)}/export?format=json`);
  return {
    info: data.map,
    nodes: (doc.nodes ?? []).map(nodeRecord),
    edges: (doc.edges ?? []).map(edgeRecord),
    sources: doc.sources ?? [],
  };
}

export async function loadAnalysis(mapId) {
  const data = await api.graphql(
    `query($mapId: ID!) { analysis(mapId: $mapId) { ...AnalysisFields } } ${ANALYSIS_FIELDS}`,
    { mapId },
  );
  return data.analysis;
}

export async function runScenario(mapId, changes) {
  const data = await api.graphql(
    `query($mapId: ID!, $changes: [ChangeInput!]!) {
      scenario(mapId: $mapId, changes: $changes) {
        analysis { ...AnalysisFields }
        resolved { key section before after }
        introduced { key section before after }
        changed { key section before after }
      } } ${ANALYSIS_FIELDS}`,
    { mapId, changes },
  );
  return data.scenario;
}

export async function neighborhood(mapId, id, depth = 1) {
  const data = await api.graphql(
    `query($mapId: ID!, $id: ID!, $depth: Int!) {
      neighborhood(mapId: $mapId, id: $id, depth: $depth) { nodes { id } edges { id } } }`,
    { mapId, id, depth },
  );
  return {
    nodes: data.neighborhood.nodes.map((n) => n.id),
    edges: data.neighborhood.edges.map((e) => e.id),
  };
}

export async function impactPaths(mapId, from, to, maxDepth = 6, limit = 50) {
  const data = await api.graphql(
    `query($mapId: ID!, $from: ID!, $to: ID!, $maxDepth: Int!, $limit: Int!) {
      impactPaths(mapId: $mapId, from: $from, to: $to, maxDepth: $maxDepth, limit: $limit) {
        length nodes { id } edges { id kind } } }`,
    { mapId, from, to, maxDepth, limit },
  );
  return data.impactPaths.map((p) => ({
    length: p.length,
    nodes: p.nodes.map((n) => n.id),
    edges: p.edges.map((e) => e.id),
    kinds: p.edges.map((e) => e.kind),
  }));
}

// --- mutations: each returns the stored record and the map version after it -----------------

export async function upsertNode(mapId, input, expectedVersion) {
  const data = await api.graphql(
    `mutation($mapId: ID!, $input: NodeInput!, $v: Int) {
      r: upsertNode(mapId: $mapId, input: $input, expectedVersion: $v) {
        version created node { ...NodeFields } } } ${NODE_FIELDS}`,
    { mapId, input, v: expectedVersion },
  );
  return data.r;
}

export async function deleteNode(mapId, id, expectedVersion) {
  const data = await api.graphql(
    `mutation($mapId: ID!, $id: ID!, $v: Int) {
      r: deleteNode(mapId: $mapId, id: $id, expectedVersion: $v) { id version removedEdges } }`,
    { mapId, id, v: expectedVersion },
  );
  return data.r;
}

export async function upsertEdge(mapId, input, expectedVersion) {
  const data = await api.graphql(
    `mutation($mapId: ID!, $input: EdgeInput!, $v: Int) {
      r: upsertEdge(mapId: $mapId, input: $input, expectedVersion: $v) {
        version created edge { ...EdgeFields } } } ${EDGE_FIELDS}`,
    { mapId, input, v: expectedVersion },
  );
  return data.r;
}

export async function deleteEdge(mapId, id, expectedVersion) {
  const data = await api.graphql(
    `mutation($mapId: ID!, $id: ID!, $v: Int) {
      r: deleteEdge(mapId: $mapId, id: $id, expectedVersion: $v) { id version removedEdges } }`,
    { mapId, id, v: expectedVersion },
  );
  return data.r;
}
