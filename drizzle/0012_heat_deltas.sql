CREATE TABLE "insight_heat_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"assignee_id" uuid NOT NULL,
	"month" date NOT NULL,
	"hour" smallint NOT NULL,
	"assigned" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"added_secs" double precision[] DEFAULT '{}' NOT NULL,
	"removed_secs" double precision[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insight_heat_deltas" ADD CONSTRAINT "insight_heat_deltas_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insight_heat_deltas_month_idx" ON "insight_heat_deltas" USING btree ("tenant_id","month");--> statement-breakpoint
-- A lead's part of the heat rows is appended here now, not added to its rep's row: every message's
-- transaction updated the same few rows (one per rep and hour), which serialised the inbox batches and
-- at times deadlocked them (bench:pipeline: up to 5 a run, each stalling its batches for deadlock_timeout).
CREATE OR REPLACE FUNCTION "insight_heat_add"(p_sign int, p_tenant text[], p_assignee uuid[], p_assigned timestamptz[], p_created timestamptz[], p_response timestamptz[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_heat_deltas (tenant_id, assignee_id, month, hour, assigned, created, added_secs, removed_secs)
  SELECT d.tenant_id, d.assignee_id, d.month, d.hour, p_sign * d.assigned, p_sign * d.created,
    CASE WHEN p_sign > 0 THEN d.secs ELSE '{}' END, CASE WHEN p_sign < 0 THEN d.secs ELSE '{}' END
  FROM insight_heat_cells(p_tenant, p_assignee, p_assigned, p_created, p_response) d;
END $$;
--> statement-breakpoint
-- Moves up to p_limit deltas, oldest first, into the heat rows; returns how many. One fold at a time
-- (every instance runs it): only the fold writes the heat rows, so no message's transaction waits on them.
CREATE FUNCTION "insight_heat_fold"(p_limit int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('insight_heat_fold')) THEN RETURN 0; END IF;
  SELECT array_agg(x.id) INTO ids FROM (SELECT id FROM insight_heat_deltas ORDER BY id LIMIT p_limit) x;
  IF ids IS NULL THEN RETURN 0; END IF;
  WITH d AS (SELECT * FROM insight_heat_deltas WHERE id = ANY (ids)),
  sums AS (SELECT tenant_id, assignee_id, month, hour, sum(assigned)::int AS assigned, sum(created)::int AS created FROM d GROUP BY 1, 2, 3, 4),
  added AS (SELECT d.tenant_id, d.assignee_id, d.month, d.hour, array_agg(v) AS secs FROM d CROSS JOIN unnest(d.added_secs) AS v GROUP BY 1, 2, 3, 4)
  INSERT INTO insight_heat_months AS h (tenant_id, assignee_id, month, hour, assigned, created, response_secs)
  SELECT s.tenant_id, s.assignee_id, s.month, s.hour, s.assigned, s.created, coalesce(a.secs, '{}')
  FROM sums s LEFT JOIN added a ON a.tenant_id = s.tenant_id AND a.assignee_id = s.assignee_id AND a.month = s.month AND a.hour = s.hour
  ON CONFLICT (tenant_id, month, assignee_id, hour) DO UPDATE SET assigned = h.assigned + excluded.assigned,
    created = h.created + excluded.created, response_secs = h.response_secs || excluded.response_secs;
  -- A removal always comes after its addition (it changed a lead whose insert had committed), so it
  -- finds the value here, folded earlier or just above.
  UPDATE insight_heat_months h SET response_secs = insight_array_minus(h.response_secs, r.secs)
  FROM (SELECT d.tenant_id, d.assignee_id, d.month, d.hour, array_agg(v) AS secs
        FROM insight_heat_deltas d CROSS JOIN unnest(d.removed_secs) AS v WHERE d.id = ANY (ids) GROUP BY 1, 2, 3, 4) r
  WHERE h.tenant_id = r.tenant_id AND h.month = r.month AND h.assignee_id = r.assignee_id AND h.hour = r.hour;
  DELETE FROM insight_heat_months h USING (SELECT DISTINCT tenant_id, assignee_id, month, hour FROM insight_heat_deltas WHERE id = ANY (ids)) k
  WHERE h.tenant_id = k.tenant_id AND h.month = k.month AND h.assignee_id = k.assignee_id AND h.hour = k.hour AND h.assigned <= 0 AND h.created <= 0;
  DELETE FROM insight_heat_deltas WHERE id = ANY (ids);
  RETURN array_length(ids, 1);
END $$;
--> statement-breakpoint
-- Every heat row of one tenant, from scratch (the backfill, and a change of the tenant's time zone):
-- written straight into the heat rows, and the tenant's unfolded deltas, counted in there, dropped.
CREATE OR REPLACE FUNCTION "insight_heat_rebuild"(p_tenant text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- After a fold in progress, never beside it: its new heat rows would collide with the ones below.
  PERFORM pg_advisory_xact_lock(hashtext('insight_heat_fold'));
  DELETE FROM insight_heat_deltas WHERE tenant_id = p_tenant;
  DELETE FROM insight_heat_months WHERE tenant_id = p_tenant;
  INSERT INTO insight_heat_months (tenant_id, assignee_id, month, hour, assigned, created, response_secs)
  SELECT d.tenant_id, d.assignee_id, d.month, d.hour, d.assigned, d.created, d.secs
  FROM (SELECT array_agg(l.tenant_id) AS t, array_agg(l.assignee_id) AS a, array_agg(l.assigned_at) AS asg, array_agg(l.created_at) AS cr, array_agg(l.first_response_at) AS fr
        FROM leads l WHERE l.tenant_id = p_tenant AND l.assignee_id IS NOT NULL) x
  CROSS JOIN LATERAL insight_heat_cells(x.t, x.a, x.asg, x.cr, x.fr) d;
END $$;
