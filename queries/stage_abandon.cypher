// Give up a staging generation that did not go live. No row: it went live, or is gone already.
MATCH (s:GStage {gen: $gen})
WHERE s.state = 'staging'
SET s.state = 'retired'
RETURN s.gen AS gen
