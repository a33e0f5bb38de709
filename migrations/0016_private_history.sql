-- An interview held in a private thread stays out of what `/history member:` and
-- `/profile member:` show to other members, unless the guild chooses to share it. Interviews
-- from before this column are taken as private where the guild opened private threads by
-- default: a guess, made on the side of privacy.
ALTER TABLE interviews ADD COLUMN private boolean NOT NULL DEFAULT false;
UPDATE interviews i SET private = true
FROM guilds g WHERE g.guild_id = i.guild_id AND g.private_threads;

ALTER TABLE guilds ADD COLUMN share_private_history boolean NOT NULL DEFAULT false;
