// The peer of bench/api.py: the Neo4j GraphQL Library (@neo4j/graphql) on Apollo Server, over
// the very data model graphsvc's Neo4j store writes (graphsvc/store/neo4j.py, queries/*.cypher):
//
//   (:GNode:<Kind> {mapId, gen, id, kind, name, tags, data, pos})   one per map node
//   [:<EDGE_KIND> {mapId, gen, id, kind, data, pos}]                one per map edge
//   (:GMap {id, gen, ...})                                          one per map (live generation)
//
// The type definitions mirror graphsvc's node/edge model the way this library models graphs:
// one relationship field per edge kind and direction (the library has no field spanning several
// relationship types), the edge's id and kind as relationship properties, and the
// neighbourhood as @cypher query fields (the library's way to express a traversal).
//
//   NEO4J_URI=bolt://127.0.0.1:7687 PORT=4000 node server.js
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

export const EDGE_KINDS = [
  "DEVELOPS", "DEPLOYS", "OPERATES", "EMPLOYS", "AFFECTS", "CAN_CONTEST_VIA", "HANDLED_BY",
  "OVERSEES", "ACCOUNTABLE_TO", "FUNDS", "INCENTIVIZES", "FEEDS_BACK_TO", "REPRESENTS",
  "PARTICIPATES_IN",
];

// CAN_CONTEST_VIA -> canContestVia
export function fieldName(kind) {
  return kind.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

const relationshipFields = EDGE_KINDS.flatMap((kind) => [
  `  ${fieldName(kind)}Out: [GNode!]! @relationship(type: "${kind}", direction: OUT, properties: "GEdge")`,
  `  ${fieldName(kind)}In: [GNode!]! @relationship(type: "${kind}", direction: IN, properties: "GEdge")`,
]).join("\n");

// Nodes within two edges of the centre, and every edge with an end closer than two edges:
// what graphsvc's neighborhood(depth: 2) returns.
const typeDefs = `#graphql
type GNode @node(labels: ["GNode"]) {
  mapId: String!
  gen: String!
  id: String!
  kind: String!
  name: String!
  tags: [String!]
  data: String
${relationshipFields}
}

type GEdge @relationshipProperties {
  mapId: String!
  id: String!
  kind: String!
  data: String
}

type NeighborhoodEdge {
  id: String!
  kind: String!
  fromId: String!
  toId: String!
}

type Query {
  neighborhoodNodes(mapId: String!, id: String!): [GNode!]!
    @cypher(
      statement: """
      MATCH (g:GMap {id: $mapId})
      MATCH (c:GNode {mapId: $mapId, gen: g.gen, id: $id})
      MATCH (c)-[*0..2]-(n:GNode)
      WITH DISTINCT n
      RETURN n ORDER BY n.id
      """
      columnName: "n"
    )
  neighborhoodEdges(mapId: String!, id: String!): [NeighborhoodEdge!]!
    @cypher(
      statement: """
      MATCH (g:GMap {id: $mapId})
      MATCH (c:GNode {mapId: $mapId, gen: g.gen, id: $id})
      OPTIONAL MATCH (c)--(n:GNode)
      WITH c, collect(DISTINCT n) AS ring
      UNWIND [c] + ring AS inner
      MATCH (inner)-[r]-(:GNode)
      WITH DISTINCT r
      RETURN r {.id, .kind, fromId: startNode(r).id, toId: endNode(r).id} AS e ORDER BY e.id
      """
      columnName: "e"
    )
}
`;

async function main() {
  const uri = process.env.NEO4J_URI || "bolt://127.0.0.1:7687";
  const user = process.env.NEO4J_USERNAME || "neo4j";
  const password = process.env.NEO4J_PASSWORD;
  const driver = neo4j.driver(uri, password ? neo4j.auth.basic(user, password) : undefined, {
    maxConnectionPoolSize: 64,
  });
  // String GT is off by default; keyset paging by id (as graphsvc pages) needs it.
  const features = { filters: { String: { GT: true, GTE: true, LT: true, LTE: true } } };
  const neoSchema = new Neo4jGraphQL({ typeDefs, driver, features });
  const server = new ApolloServer({ schema: await neoSchema.getSchema() });
  const port = Number(process.env.PORT || 4000);
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port },
    context: async () => ({ sessionConfig: { database: process.env.NEO4J_DATABASE || "neo4j" } }),
  });
  console.log(`peer ready at ${url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
