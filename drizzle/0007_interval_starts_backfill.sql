-- Custom migration (not generated): fills the interval starts added in 0006 for the rows written
-- before the service kept them, from the event log, by the rules analytics used to reconstruct
-- them at read time. Each statement is one pass over its table (window functions, no lookup per
-- row); rows that already have a value are left alone.
--
-- A close: its episode began at the latest reopen strictly before it, else at the conversation's creation.
UPDATE "conversation_events" e SET "started_at" = s."started_at"
FROM (
  SELECT x."id", coalesce(
      max(x."created_at") FILTER (WHERE x."type" = 'reopened') OVER (
        PARTITION BY x."conversation_id" ORDER BY x."created_at"
        RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP),
      c."created_at") AS "started_at",
    x."type"
  FROM "conversation_events" x
  JOIN "conversations" c ON c."id" = x."conversation_id"
  WHERE x."type" IN ('reopened', 'closed')
) s
WHERE s."id" = e."id" AND s."type" = 'closed' AND e."started_at" IS NULL;
--> statement-breakpoint
-- A claim from the queue, or an assignment of a conversation nobody had: the wait began at the
-- latest way into the queue at or before it (queued, put back, reopened by the customer). One
-- without any (straight from the bot) ended no wait and keeps null.
UPDATE "conversation_events" e SET "started_at" = s."entered_at"
FROM (
  SELECT x."id", x."type", x."data",
    max(x."created_at") FILTER (WHERE x."type" IN ('queued', 'unassigned') OR (x."type" = 'reopened' AND x."actor_type" = 'customer')) OVER (
      PARTITION BY x."conversation_id" ORDER BY x."created_at"
      RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "entered_at"
  FROM "conversation_events" x
  WHERE x."type" IN ('queued', 'unassigned', 'reopened', 'claimed', 'assigned')
) s
WHERE s."id" = e."id" AND e."started_at" IS NULL AND s."entered_at" IS NOT NULL
  AND ((s."type" = 'claimed' AND s."data"->>'from' = 'queued') OR (s."type" = 'assigned' AND s."data"->>'from' IS NULL));
--> statement-breakpoint
-- The conversation's own columns: its first time in the queue, its current episode's start, and
-- (while it waits there now, the only time a claim reads it) when it entered the queue.
UPDATE "conversations" c SET
  "first_queued_at" = coalesce(c."first_queued_at", l."first_queued_at"),
  "episode_started_at" = coalesce(c."episode_started_at", l."last_reopened_at", c."created_at"),
  "queue_entered_at" = CASE WHEN c."status" = 'queued' THEN coalesce(c."queue_entered_at", l."last_entered_at", c."queued_at") ELSE c."queue_entered_at" END
FROM (
  SELECT y."id",
    min(x."created_at") FILTER (WHERE x."type" = 'queued') AS "first_queued_at",
    max(x."created_at") FILTER (WHERE x."type" = 'reopened') AS "last_reopened_at",
    max(x."created_at") FILTER (WHERE x."type" IN ('queued', 'unassigned') OR (x."type" = 'reopened' AND x."actor_type" = 'customer')) AS "last_entered_at"
  FROM "conversations" y
  LEFT JOIN "conversation_events" x ON x."conversation_id" = y."id" AND x."type" IN ('queued', 'unassigned', 'reopened')
  GROUP BY y."id"
) l
WHERE l."id" = c."id"
  AND (c."first_queued_at" IS NULL OR c."episode_started_at" IS NULL OR (c."status" = 'queued' AND c."queue_entered_at" IS NULL));
--> statement-breakpoint
-- Who gave the first response: the author of the conversation's first agent message.
UPDATE "conversations" c SET "first_responder_id" = m."agent_id"
FROM (
  SELECT DISTINCT ON ("conversation_id") "conversation_id", "agent_id"
  FROM "messages"
  WHERE "sender" = 'agent'
  ORDER BY "conversation_id", "seq"
) m
WHERE m."conversation_id" = c."id" AND c."first_response_at" IS NOT NULL AND c."first_responder_id" IS NULL;
