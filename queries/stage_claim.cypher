// Take a staging generation live: 0 when it was collected as abandoned meanwhile.
OPTIONAL MATCH (s:GStage {gen: $gen})
WHERE s.state = 'staging'
DELETE s
RETURN count(s) AS claimed
