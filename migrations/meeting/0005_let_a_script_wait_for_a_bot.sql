-- A script may start when the first bot's call joins instead of when the meeting was made
-- (`scriptStartsWhen: "botJoins"`): its steps wait with due_at at the largest safe integer and their
-- own offset in at_ms, and the first call that joins sets due_at = now + at_ms for all of them.
ALTER TABLE meeting_script ADD COLUMN at_ms INTEGER;
