// Constraints and indexes of the Neo4j store (graphsvc/store/neo4j.py), applied idempotently
// at start-up, one statement at a time. Every uniqueness constraint is backed by a range index,
// which serves the lookups and the id-ordered paging as well.
//
// Elements carry mapId (the map) and gen (the generation of the map they belong to: an import
// writes a new generation beside the live one and swaps it in). Ids are unique per generation.

CREATE CONSTRAINT gmap_id IF NOT EXISTS FOR (g:GMap) REQUIRE g.id IS UNIQUE;
CREATE CONSTRAINT gmap_counter_id IF NOT EXISTS FOR (c:GMapCounter) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT gstage_gen IF NOT EXISTS FOR (s:GStage) REQUIRE s.gen IS UNIQUE;
CREATE CONSTRAINT gnode_id IF NOT EXISTS FOR (n:GNode) REQUIRE (n.mapId, n.gen, n.id) IS UNIQUE;

// One per edge kind: relationship indexes are per type (queries seek a union of them).
CREATE CONSTRAINT develops_id IF NOT EXISTS FOR ()-[r:DEVELOPS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT deploys_id IF NOT EXISTS FOR ()-[r:DEPLOYS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT operates_id IF NOT EXISTS FOR ()-[r:OPERATES]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT employs_id IF NOT EXISTS FOR ()-[r:EMPLOYS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT affects_id IF NOT EXISTS FOR ()-[r:AFFECTS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT can_contest_via_id IF NOT EXISTS FOR ()-[r:CAN_CONTEST_VIA]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT handled_by_id IF NOT EXISTS FOR ()-[r:HANDLED_BY]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT oversees_id IF NOT EXISTS FOR ()-[r:OVERSEES]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT accountable_to_id IF NOT EXISTS FOR ()-[r:ACCOUNTABLE_TO]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT funds_id IF NOT EXISTS FOR ()-[r:FUNDS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT incentivizes_id IF NOT EXISTS FOR ()-[r:INCENTIVIZES]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT feeds_back_to_id IF NOT EXISTS FOR ()-[r:FEEDS_BACK_TO]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT represents_id IF NOT EXISTS FOR ()-[r:REPRESENTS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;
CREATE CONSTRAINT participates_in_id IF NOT EXISTS FOR ()-[r:PARTICIPATES_IN]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE;

// API tokens and the audit log (graphsvc/store/neo4j/tokens.py, audit.py).
CREATE CONSTRAINT gtoken_id IF NOT EXISTS FOR (t:GToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT gchange_seq IF NOT EXISTS FOR (x:GChange) REQUIRE (x.mapId, x.seq) IS UNIQUE;

// Wait until every index above is online, so the first import is not a label scan.
CALL db.awaitIndexes(300);
