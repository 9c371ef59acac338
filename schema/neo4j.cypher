// Constraints and indexes of the Neo4j store (graphsvc/store/neo4j/), applied idempotently on
// first use, one statement at a time. Every uniqueness constraint is backed by a range index,
// which serves the lookups and the id-ordered paging as well.
//
// Elements carry mapId (the map) and gen (the generation of the map they belong to: an import
// writes a new generation beside the live one and swaps it in). Ids are unique per generation.

CREATE CONSTRAINT gmap_id IF NOT EXISTS FOR (g:GMap) REQUIRE g.id IS UNIQUE;
CREATE CONSTRAINT gmap_counter_id IF NOT EXISTS FOR (c:GMapCounter) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT gstage_gen IF NOT EXISTS FOR (s:GStage) REQUIRE s.gen IS UNIQUE;
CREATE CONSTRAINT gnode_id IF NOT EXISTS FOR (n:GNode) REQUIRE (n.mapId, n.gen, n.id) IS UNIQUE;

// One index per edge kind: relationship indexes are per type (queries seek a union of them).
// Indexes, not uniqueness constraints: edge ids are checked unique when a map is validated, and
// a constraint's check on every insert costs about 40% more server time in a large import.
// Databases written before this change hold uniqueness constraints of these names: each is
// dropped (a no-op once it is an index; DROP CONSTRAINT ignores an index of the same name) and
// its index made again below, populated from the edges already stored.
DROP CONSTRAINT develops_id IF EXISTS;
DROP CONSTRAINT deploys_id IF EXISTS;
DROP CONSTRAINT operates_id IF EXISTS;
DROP CONSTRAINT employs_id IF EXISTS;
DROP CONSTRAINT affects_id IF EXISTS;
DROP CONSTRAINT can_contest_via_id IF EXISTS;
DROP CONSTRAINT handled_by_id IF EXISTS;
DROP CONSTRAINT oversees_id IF EXISTS;
DROP CONSTRAINT accountable_to_id IF EXISTS;
DROP CONSTRAINT funds_id IF EXISTS;
DROP CONSTRAINT incentivizes_id IF EXISTS;
DROP CONSTRAINT feeds_back_to_id IF EXISTS;
DROP CONSTRAINT represents_id IF EXISTS;
DROP CONSTRAINT participates_in_id IF EXISTS;

CREATE INDEX develops_id IF NOT EXISTS FOR ()-[r:DEVELOPS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX deploys_id IF NOT EXISTS FOR ()-[r:DEPLOYS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX operates_id IF NOT EXISTS FOR ()-[r:OPERATES]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX employs_id IF NOT EXISTS FOR ()-[r:EMPLOYS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX affects_id IF NOT EXISTS FOR ()-[r:AFFECTS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX can_contest_via_id IF NOT EXISTS FOR ()-[r:CAN_CONTEST_VIA]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX handled_by_id IF NOT EXISTS FOR ()-[r:HANDLED_BY]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX oversees_id IF NOT EXISTS FOR ()-[r:OVERSEES]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX accountable_to_id IF NOT EXISTS FOR ()-[r:ACCOUNTABLE_TO]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX funds_id IF NOT EXISTS FOR ()-[r:FUNDS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX incentivizes_id IF NOT EXISTS FOR ()-[r:INCENTIVIZES]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX feeds_back_to_id IF NOT EXISTS FOR ()-[r:FEEDS_BACK_TO]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX represents_id IF NOT EXISTS FOR ()-[r:REPRESENTS]-() ON (r.mapId, r.gen, r.id);
CREATE INDEX participates_in_id IF NOT EXISTS FOR ()-[r:PARTICIPATES_IN]-() ON (r.mapId, r.gen, r.id);

// API tokens and the audit log (graphsvc/store/neo4j/tokens.py, audit.py).
CREATE CONSTRAINT gtoken_id IF NOT EXISTS FOR (t:GToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT gchange_seq IF NOT EXISTS FOR (x:GChange) REQUIRE (x.mapId, x.seq) IS UNIQUE;

// Wait until every index above is online, so the first import is not a label scan.
CALL db.awaitIndexes(300);
