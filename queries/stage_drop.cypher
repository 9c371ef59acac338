// Forget a generation once every element of it is deleted.
MATCH (s:GStage {gen: $gen})
DELETE s
