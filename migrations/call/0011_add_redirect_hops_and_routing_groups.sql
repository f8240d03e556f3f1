-- The redirects an incoming call's `created` notification followed (or refused) on one attempt: a JSON
-- array of {status, location}, at most 4 (3 hops followed, a 4th refused). NULL when there were none.
ALTER TABLE delivery_attempts ADD COLUMN hops TEXT;

-- The call's audio routing groups (…/calls/{id}/audioRoutingGroups): the client names each `id`; `body`
-- is the group as served. At most 20 per call (src/objects/call/audio-routing-groups.ts).
CREATE TABLE audio_routing_groups (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL
);
