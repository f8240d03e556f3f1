-- The redirects an incoming call's `created` notification followed (or refused) on one attempt: a JSON
-- array of {status, location}, at most 4 (3 hops followed, a 4th refused). NULL when there were none.
ALTER TABLE delivery_attempts ADD COLUMN hops TEXT;
