-- One rule for adding a member's message to an open answer, shared by interview and QOTD
-- answers. A member's messages can be handled in any order (each gateway event runs on its
-- own), so a message goes where its id, a Discord snowflake and so its time, puts it among the
-- answer's messages, and the body is the parts joined by newlines. A message already in the
-- answer changes nothing. An answer from before parts were kept (parts NULL, or not one per
-- message) appends to its body as it did.
CREATE FUNCTION answer_add_part(old_ids bigint[], old_parts text[], old_body text,
                                new_id bigint, new_part text)
RETURNS TABLE (ids bigint[], texts text[], joined text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT n.ids, n.texts,
           CASE WHEN n.texts IS NULL THEN old_body || E'\n' || new_part
                ELSE array_to_string(n.texts, E'\n') END
    FROM (SELECT count(*)::int AS pos FROM unnest(old_ids) AS m(id) WHERE m.id < new_id) p,
    LATERAL (SELECT old_ids[:p.pos] || new_id || old_ids[p.pos + 1:] AS ids,
                    CASE WHEN cardinality(old_parts) = cardinality(old_ids)
                         THEN old_parts[:p.pos] || new_part || old_parts[p.pos + 1:] END AS texts) n
    WHERE new_id <> ALL (old_ids)
    UNION ALL
    SELECT old_ids, old_parts, old_body
    WHERE new_id = ANY (old_ids)
$$;
