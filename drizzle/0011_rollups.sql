-- Issue 16, bench:metrics: the health metrics read small rollups instead of the raw rows (1,000,000
-- interactions). Triggers keep them: every write to interactions, customer_identities, leads, users.role
-- and tenants.time_zone updates them in the same statement's transaction, whichever code path wrote
-- (capture, merge, undo, archive, imports, stages). Statement-level with transition tables, so a bulk
-- insert updates each rollup once, set-wise. test/crm/insight/rollups.test.ts checks the rollups against
-- the raw computation after random writes.
--
-- Collaboration: per customer and month (in the tenant's time zone), for each role, a bit per local day
-- of the month on which someone of that role left a record. A period is a set of local days, so the
-- metric is the rollup's rows of the months it touches, each masked to the period's days.
CREATE TABLE "insight_collab_months" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"month" date NOT NULL,
	"rep_days" integer DEFAULT 0 NOT NULL,
	"manager_days" integer DEFAULT 0 NOT NULL,
	"admin_days" integer DEFAULT 0 NOT NULL,
	-- How many roles left a record in the month: a period holding the whole month sums this, no masks.
	"roles" smallint GENERATED ALWAYS AS ((("rep_days" <> 0)::int + ("manager_days" <> 0)::int + ("admin_days" <> 0)::int)) STORED NOT NULL,
	CONSTRAINT "insight_collab_months_pk" PRIMARY KEY ("tenant_id", "month", "customer_id")
);
--> statement-breakpoint
-- Completeness and leads at risk: per customer, how many phone identities and product-naming messages
-- it has, and its last interaction.
CREATE TABLE "insight_customer_state" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"phones" integer DEFAULT 0 NOT NULL,
	"product_messages" integer DEFAULT 0 NOT NULL,
	"last_interaction_at" timestamp (3) with time zone,
	CONSTRAINT "insight_customer_state_pk" PRIMARY KEY ("tenant_id", "customer_id")
);
--> statement-breakpoint
-- Survival: per lead, whether the customer was heard from in days 4-7 after the lead's creation
-- (SURVIVAL_DAYS = 7, SURVIVAL_SILENT_DAYS = 3 in metrics.repo.ts), and when its history first says won / lost.
CREATE TABLE "insight_lead_state" (
	"tenant_id" text NOT NULL,
	"lead_id" uuid NOT NULL,
	"heard" boolean DEFAULT false NOT NULL,
	"won_at" timestamp with time zone,
	"lost_at" timestamp with time zone,
	CONSTRAINT "insight_lead_state_pkey" PRIMARY KEY ("lead_id")
);
--> statement-breakpoint
-- Heat maps: per rep, local month and local hour, leads assigned (by assigned_at), leads created (by
-- created_at) and the response times of those answered (a multiset: order means nothing). A period reads its whole months here and its
-- edge days from leads.
CREATE TABLE "insight_heat_months" (
	"tenant_id" text NOT NULL,
	"assignee_id" uuid NOT NULL,
	"month" date NOT NULL,
	"hour" smallint NOT NULL,
	"assigned" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"response_secs" double precision[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "insight_heat_months_pk" PRIMARY KEY ("tenant_id", "month", "assignee_id", "hour")
);
--> statement-breakpoint
ALTER TABLE "insight_heat_months" ADD CONSTRAINT "insight_heat_months_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_collab_months" ADD CONSTRAINT "insight_collab_months_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_customer_state" ADD CONSTRAINT "insight_customer_state_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_lead_state" ADD CONSTRAINT "insight_lead_state_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The heat maps read every lead of a period, a few columns each: from the index alone.
CREATE INDEX "leads_insight_assigned_idx" ON "leads" USING btree ("tenant_id","assigned_at") INCLUDE ("assignee_id") WHERE "assignee_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "leads_insight_created_idx" ON "leads" USING btree ("tenant_id","created_at") INCLUDE ("assignee_id","first_response_at");--> statement-breakpoint
-- Recomputes the collaboration rows of these (tenant, customer, month) keys from the interactions.
CREATE FUNCTION "insight_collab_refresh"(p_tenant text[], p_customer uuid[], p_month date[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insight_collab_months r USING unnest(p_tenant, p_customer, p_month) AS k(tenant_id, customer_id, month)
    WHERE r.tenant_id = k.tenant_id AND r.month = k.month AND r.customer_id = k.customer_id;
  INSERT INTO insight_collab_months (tenant_id, customer_id, month, rep_days, manager_days, admin_days)
  SELECT k.tenant_id, k.customer_id, k.month,
    coalesce(bit_or(CASE WHEN u.role = 'rep' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0),
    coalesce(bit_or(CASE WHEN u.role = 'manager' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0),
    coalesce(bit_or(CASE WHEN u.role = 'admin' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0)
  FROM (SELECT DISTINCT * FROM unnest(p_tenant, p_customer, p_month) AS x(tenant_id, customer_id, month)) k
  JOIN tenants t ON t.tenant_id = k.tenant_id
  JOIN interactions i ON i.tenant_id = k.tenant_id AND i.customer_id = k.customer_id AND i.author_id IS NOT NULL
    -- A day either side of the month for the index; the month itself decides.
    AND i.occurred_at >= k.month - 1 AND i.occurred_at < (k.month + interval '1 month 1 day')
    AND date_trunc('month', i.occurred_at AT TIME ZONE t.time_zone)::date = k.month
  JOIN users u ON u.id = i.author_id AND u.tenant_id = k.tenant_id
  GROUP BY k.tenant_id, k.customer_id, k.month;
END $$;
--> statement-breakpoint
-- Every collaboration row of one tenant, from scratch (the backfill, and a change of the tenant's time zone).
CREATE FUNCTION "insight_collab_rebuild"(p_tenant text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insight_collab_months WHERE tenant_id = p_tenant;
  INSERT INTO insight_collab_months (tenant_id, customer_id, month, rep_days, manager_days, admin_days)
  SELECT i.tenant_id, i.customer_id, date_trunc('month', i.occurred_at AT TIME ZONE t.time_zone)::date,
    coalesce(bit_or(CASE WHEN u.role = 'rep' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0),
    coalesce(bit_or(CASE WHEN u.role = 'manager' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0),
    coalesce(bit_or(CASE WHEN u.role = 'admin' THEN 1 << (extract(day FROM i.occurred_at AT TIME ZONE t.time_zone)::int - 1) END), 0)
  FROM interactions i JOIN tenants t ON t.tenant_id = i.tenant_id JOIN users u ON u.id = i.author_id AND u.tenant_id = i.tenant_id
  WHERE i.tenant_id = p_tenant AND i.author_id IS NOT NULL
  GROUP BY 1, 2, 3;
END $$;
--> statement-breakpoint
-- The per-customer counts and last interaction of these customers, from scratch.
CREATE FUNCTION "insight_customer_refresh"(p_tenant text[], p_customer uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insight_customer_state s USING unnest(p_tenant, p_customer) AS k(tenant_id, customer_id)
    WHERE s.tenant_id = k.tenant_id AND s.customer_id = k.customer_id;
  INSERT INTO insight_customer_state (tenant_id, customer_id, phones, product_messages, last_interaction_at)
  SELECT k.tenant_id, k.customer_id,
    (SELECT count(*) FROM customer_identities ci WHERE ci.tenant_id = k.tenant_id AND ci.customer_id = k.customer_id AND ci.kind = 'phone'),
    (SELECT count(*) FROM interactions i WHERE i.tenant_id = k.tenant_id AND i.customer_id = k.customer_id AND (i.entities -> 'products') <> '[]'::jsonb),
    (SELECT max(i.occurred_at) FROM interactions i WHERE i.tenant_id = k.tenant_id AND i.customer_id = k.customer_id)
  FROM (SELECT DISTINCT * FROM unnest(p_tenant, p_customer) AS x(tenant_id, customer_id)) k;
  DELETE FROM insight_customer_state WHERE phones = 0 AND product_messages = 0 AND last_interaction_at IS NULL
    AND (tenant_id, customer_id) IN (SELECT * FROM unnest(p_tenant, p_customer));
END $$;
--> statement-breakpoint
-- Heard-from in days 4-7 after creation, for the leads of these customers (the same expression as survivalCounts had).
CREATE FUNCTION "insight_heard_refresh"(p_tenant text[], p_customer uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE insight_lead_state s SET heard = EXISTS (
      SELECT 1 FROM interactions i WHERE i.tenant_id = l.tenant_id AND i.customer_id = l.customer_id
        AND i.occurred_at > (l.created_at + interval '7 days') - interval '3 days' AND i.occurred_at <= l.created_at + interval '7 days')
  FROM leads l
  WHERE s.lead_id = l.id
    AND (l.tenant_id, l.customer_id) IN (SELECT DISTINCT * FROM unnest(p_tenant, p_customer));
END $$;
--> statement-breakpoint
-- A lead's state from scratch (inserted or changed leads).
CREATE FUNCTION "insight_lead_refresh"(p_lead uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insight_lead_state WHERE lead_id = ANY (p_lead);
  INSERT INTO insight_lead_state (tenant_id, lead_id, heard, won_at, lost_at)
  SELECT l.tenant_id, l.id,
    EXISTS (SELECT 1 FROM interactions i WHERE i.tenant_id = l.tenant_id AND i.customer_id = l.customer_id
      AND i.occurred_at > (l.created_at + interval '7 days') - interval '3 days' AND i.occurred_at <= l.created_at + interval '7 days'),
    (SELECT min((e ->> 'at')::timestamptz) FROM jsonb_array_elements(l.status_history) e WHERE e ->> 'status' = 'won'),
    (SELECT min((e ->> 'at')::timestamptz) FROM jsonb_array_elements(l.status_history) e WHERE e ->> 'status' = 'lost')
  FROM leads l WHERE l.id = ANY (p_lead);
END $$;
--> statement-breakpoint
CREATE FUNCTION "insight_interactions_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text[]; c uuid[]; m date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- New rows only add: OR their days in, add their counts, move last interactions forward.
    INSERT INTO insight_collab_months AS r (tenant_id, customer_id, month, rep_days, manager_days, admin_days)
    SELECT n.tenant_id, n.customer_id, date_trunc('month', n.occurred_at AT TIME ZONE tz.time_zone)::date,
      coalesce(bit_or(CASE WHEN u.role = 'rep' THEN 1 << (extract(day FROM n.occurred_at AT TIME ZONE tz.time_zone)::int - 1) END), 0),
      coalesce(bit_or(CASE WHEN u.role = 'manager' THEN 1 << (extract(day FROM n.occurred_at AT TIME ZONE tz.time_zone)::int - 1) END), 0),
      coalesce(bit_or(CASE WHEN u.role = 'admin' THEN 1 << (extract(day FROM n.occurred_at AT TIME ZONE tz.time_zone)::int - 1) END), 0)
    FROM new_rows n JOIN tenants tz ON tz.tenant_id = n.tenant_id JOIN users u ON u.id = n.author_id AND u.tenant_id = n.tenant_id
    GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, month, customer_id) DO UPDATE SET rep_days = r.rep_days | excluded.rep_days,
      manager_days = r.manager_days | excluded.manager_days, admin_days = r.admin_days | excluded.admin_days;
    INSERT INTO insight_customer_state AS s (tenant_id, customer_id, product_messages, last_interaction_at)
    SELECT n.tenant_id, n.customer_id, count(*) FILTER (WHERE (n.entities -> 'products') <> '[]'::jsonb), max(n.occurred_at)
    FROM new_rows n GROUP BY 1, 2
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET product_messages = s.product_messages + excluded.product_messages,
      last_interaction_at = greatest(s.last_interaction_at, excluded.last_interaction_at);
    UPDATE insight_lead_state s SET heard = true
    FROM new_rows n JOIN leads l ON l.tenant_id = n.tenant_id AND l.customer_id = n.customer_id
    WHERE s.lead_id = l.id AND NOT s.heard
      AND n.occurred_at > (l.created_at + interval '7 days') - interval '3 days' AND n.occurred_at <= l.created_at + interval '7 days';
    RETURN NULL;
  END IF;
  -- An update or a delete (a merge moves messages, an undo removes one): recompute what the old and new rows touch.
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x.tenant_id), array_agg(x.customer_id), array_agg(x.month) INTO t, c, m FROM (
      SELECT o.tenant_id, o.customer_id, date_trunc('month', o.occurred_at AT TIME ZONE tz.time_zone)::date AS month
      FROM old_rows o JOIN tenants tz ON tz.tenant_id = o.tenant_id
      UNION SELECT n.tenant_id, n.customer_id, date_trunc('month', n.occurred_at AT TIME ZONE tz.time_zone)::date
      FROM new_rows n JOIN tenants tz ON tz.tenant_id = n.tenant_id) x;
  ELSE
    SELECT array_agg(x.tenant_id), array_agg(x.customer_id), array_agg(x.month) INTO t, c, m FROM (
      SELECT DISTINCT o.tenant_id, o.customer_id, date_trunc('month', o.occurred_at AT TIME ZONE tz.time_zone)::date AS month
      FROM old_rows o JOIN tenants tz ON tz.tenant_id = o.tenant_id) x;
  END IF;
  IF t IS NULL THEN RETURN NULL; END IF;
  PERFORM insight_collab_refresh(t, c, m);
  PERFORM insight_customer_refresh(t, c);
  PERFORM insight_heard_refresh(t, c);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "insight_interactions_insert" AFTER INSERT ON "interactions" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_interactions_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_interactions_update" AFTER UPDATE ON "interactions" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_interactions_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_interactions_delete" AFTER DELETE ON "interactions" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_interactions_changed();
--> statement-breakpoint
CREATE FUNCTION "insight_identities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Counted from the changed rows alone, never from customer_identities: a bulk insert into a table the
  -- planner has no statistics for yet took minutes when each customer's phones were counted again.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO insight_customer_state AS s (tenant_id, customer_id, phones)
    SELECT n.tenant_id, n.customer_id, count(*) FROM new_rows n WHERE n.kind = 'phone' GROUP BY 1, 2
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET phones = s.phones + excluded.phones;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE insight_customer_state s SET phones = s.phones - o.n
    FROM (SELECT tenant_id, customer_id, count(*) AS n FROM old_rows WHERE kind = 'phone' GROUP BY 1, 2) o
    WHERE s.tenant_id = o.tenant_id AND s.customer_id = o.customer_id;
    DELETE FROM insight_customer_state s USING old_rows o
    WHERE s.tenant_id = o.tenant_id AND s.customer_id = o.customer_id AND s.phones = 0 AND s.product_messages = 0 AND s.last_interaction_at IS NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "insight_identities_insert" AFTER INSERT ON "customer_identities" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_identities_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_identities_update" AFTER UPDATE ON "customer_identities" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_identities_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_identities_delete" AFTER DELETE ON "customer_identities" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_identities_changed();
--> statement-breakpoint
CREATE FUNCTION "insight_leads_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[]; t text[]; a uuid[]; asg timestamptz[]; cr timestamptz[]; fr timestamptz[];
BEGIN
  -- Heat rows: take away what the old rows added, add what the new rows add (an update only when a
  -- column the heat maps read changed).
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(o.tenant_id), array_agg(o.assignee_id), array_agg(o.assigned_at), array_agg(o.created_at), array_agg(o.first_response_at)
    INTO t, a, asg, cr, fr FROM old_rows o WHERE o.assignee_id IS NOT NULL;
    IF t IS NOT NULL THEN PERFORM insight_heat_add(-1, t, a, asg, cr, fr); END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(o.tenant_id), array_agg(o.assignee_id), array_agg(o.assigned_at), array_agg(o.created_at), array_agg(o.first_response_at)
    INTO t, a, asg, cr, fr FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.assignee_id IS NOT NULL AND (n.tenant_id, n.assignee_id, n.assigned_at, n.created_at, n.first_response_at) IS DISTINCT FROM (o.tenant_id, o.assignee_id, o.assigned_at, o.created_at, o.first_response_at);
    IF t IS NOT NULL THEN PERFORM insight_heat_add(-1, t, a, asg, cr, fr); END IF;
    SELECT array_agg(n.tenant_id), array_agg(n.assignee_id), array_agg(n.assigned_at), array_agg(n.created_at), array_agg(n.first_response_at)
    INTO t, a, asg, cr, fr FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.assignee_id IS NOT NULL AND (n.tenant_id, n.assignee_id, n.assigned_at, n.created_at, n.first_response_at) IS DISTINCT FROM (o.tenant_id, o.assignee_id, o.assigned_at, o.created_at, o.first_response_at);
    IF t IS NOT NULL THEN PERFORM insight_heat_add(1, t, a, asg, cr, fr); END IF;
  ELSE
    SELECT array_agg(n.tenant_id), array_agg(n.assignee_id), array_agg(n.assigned_at), array_agg(n.created_at), array_agg(n.first_response_at)
    INTO t, a, asg, cr, fr FROM new_rows n WHERE n.assignee_id IS NOT NULL;
    IF t IS NOT NULL THEN PERFORM insight_heat_add(1, t, a, asg, cr, fr); END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM insight_lead_state s USING old_rows o WHERE s.lead_id = o.id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.id) INTO ids FROM new_rows n;
  ELSE
    -- Only what the state reads: most lead updates (assignment, first response) change none of it.
    SELECT array_agg(n.id) INTO ids FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.tenant_id, n.customer_id, n.created_at, n.status_history) IS DISTINCT FROM (o.tenant_id, o.customer_id, o.created_at, o.status_history);
  END IF;
  IF ids IS NOT NULL THEN PERFORM insight_lead_refresh(ids); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "insight_leads_insert" AFTER INSERT ON "leads" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_leads_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_leads_update" AFTER UPDATE ON "leads" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_leads_changed();
--> statement-breakpoint
CREATE TRIGGER "insight_leads_delete" AFTER DELETE ON "leads" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_leads_changed();
--> statement-breakpoint
-- A user's role decides which role their records count for; a tenant's time zone decides the days.
CREATE FUNCTION "insight_users_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text[]; c uuid[]; m date[];
BEGIN
  -- Most updates (on duty, working hours) change no role: nothing to read then.
  IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.role, n.tenant_id) IS DISTINCT FROM (o.role, o.tenant_id)) THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(x.tenant_id), array_agg(x.customer_id), array_agg(x.month) INTO t, c, m FROM (
    SELECT DISTINCT i.tenant_id, i.customer_id, date_trunc('month', i.occurred_at AT TIME ZONE tz.time_zone)::date AS month
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN interactions i ON i.author_id = n.id AND i.tenant_id IN (n.tenant_id, o.tenant_id)
    JOIN tenants tz ON tz.tenant_id = i.tenant_id
    WHERE (n.role, n.tenant_id) IS DISTINCT FROM (o.role, o.tenant_id)) x;
  IF t IS NOT NULL THEN PERFORM insight_collab_refresh(t, c, m); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "insight_users_update" AFTER UPDATE ON "users" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_users_changed();
--> statement-breakpoint
-- What these leads add to the heat rows, per (tenant, rep, local month, local hour): assigned (by
-- assigned_at), created (by created_at) and the created ones' response times.
CREATE FUNCTION "insight_heat_cells"(p_tenant text[], p_assignee uuid[], p_assigned timestamptz[], p_created timestamptz[], p_response timestamptz[])
RETURNS TABLE (tenant_id text, assignee_id uuid, month date, hour int, assigned int, created int, secs float8[]) LANGUAGE sql STABLE AS $$
  SELECT x.tenant_id, x.assignee_id, x.month, x.hour, sum(x.a)::int, sum(x.c)::int, coalesce(array_agg(x.secs) FILTER (WHERE x.secs IS NOT NULL), '{}')
  FROM (
    SELECT r.tenant_id, r.assignee_id, date_trunc('month', r.assigned_at AT TIME ZONE t.time_zone)::date AS month,
      date_part('hour', r.assigned_at AT TIME ZONE t.time_zone)::int AS hour, 1 AS a, 0 AS c, NULL::float8 AS secs
    FROM unnest(p_tenant, p_assignee, p_assigned, p_created, p_response) AS r(tenant_id, assignee_id, assigned_at, created_at, response_at)
    JOIN tenants t ON t.tenant_id = r.tenant_id
    WHERE r.assignee_id IS NOT NULL AND r.assigned_at IS NOT NULL
    UNION ALL
    SELECT r.tenant_id, r.assignee_id, date_trunc('month', r.created_at AT TIME ZONE t.time_zone)::date,
      date_part('hour', r.created_at AT TIME ZONE t.time_zone)::int, 0, 1, extract(epoch FROM (r.response_at - r.created_at))::float8
    FROM unnest(p_tenant, p_assignee, p_assigned, p_created, p_response) AS r(tenant_id, assignee_id, assigned_at, created_at, response_at)
    JOIN tenants t ON t.tenant_id = r.tenant_id
    WHERE r.assignee_id IS NOT NULL
  ) x GROUP BY 1, 2, 3, 4
$$;
--> statement-breakpoint
-- a without b, as multisets (each value of b takes one equal value of a).
CREATE FUNCTION "insight_array_minus"(a float8[], b float8[]) RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(x.v), '{}') FROM (SELECT v, row_number() OVER (PARTITION BY v) AS n FROM unnest(a) AS v) x
  WHERE NOT EXISTS (SELECT 1 FROM (SELECT w, row_number() OVER (PARTITION BY w) AS m FROM unnest(b) AS w) y WHERE y.w = x.v AND y.m = x.n)
$$;
--> statement-breakpoint
-- Adds (p_sign 1) or takes away (-1) these leads' part of the heat rows: a few primary-key updates per
-- lead written, not a recount (a recount of the rep's month cost 19 ms per lead update over 50,000 leads).
CREATE FUNCTION "insight_heat_add"(p_sign int, p_tenant text[], p_assignee uuid[], p_assigned timestamptz[], p_created timestamptz[], p_response timestamptz[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_sign > 0 THEN
    INSERT INTO insight_heat_months AS h (tenant_id, assignee_id, month, hour, assigned, created, response_secs)
    SELECT d.tenant_id, d.assignee_id, d.month, d.hour, d.assigned, d.created, d.secs FROM insight_heat_cells(p_tenant, p_assignee, p_assigned, p_created, p_response) d
    ON CONFLICT (tenant_id, month, assignee_id, hour) DO UPDATE SET assigned = h.assigned + excluded.assigned,
      created = h.created + excluded.created, response_secs = h.response_secs || excluded.response_secs;
  ELSE
    UPDATE insight_heat_months h SET assigned = h.assigned - d.assigned, created = h.created - d.created,
      response_secs = insight_array_minus(h.response_secs, d.secs)
    FROM insight_heat_cells(p_tenant, p_assignee, p_assigned, p_created, p_response) d
    WHERE h.tenant_id = d.tenant_id AND h.month = d.month AND h.assignee_id = d.assignee_id AND h.hour = d.hour;
    DELETE FROM insight_heat_months h USING insight_heat_cells(p_tenant, p_assignee, p_assigned, p_created, p_response) d
    WHERE h.tenant_id = d.tenant_id AND h.month = d.month AND h.assignee_id = d.assignee_id AND h.hour = d.hour AND h.assigned <= 0 AND h.created <= 0;
  END IF;
END $$;
--> statement-breakpoint
-- Every heat row of one tenant, from scratch (the backfill, and a change of the tenant's time zone).
CREATE FUNCTION "insight_heat_rebuild"(p_tenant text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insight_heat_months WHERE tenant_id = p_tenant;
  PERFORM insight_heat_add(1, array_agg(l.tenant_id), array_agg(l.assignee_id), array_agg(l.assigned_at), array_agg(l.created_at), array_agg(l.first_response_at))
  FROM leads l WHERE l.tenant_id = p_tenant AND l.assignee_id IS NOT NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "insight_tenants_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT n.tenant_id FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id WHERE n.time_zone IS DISTINCT FROM o.time_zone LOOP
    PERFORM insight_collab_rebuild(r.tenant_id);
    PERFORM insight_heat_rebuild(r.tenant_id);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "insight_tenants_update" AFTER UPDATE ON "tenants" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_tenants_changed();
--> statement-breakpoint
-- Backfill: the rows already written.
SELECT insight_collab_rebuild(tenant_id) FROM tenants;
--> statement-breakpoint
SELECT insight_heat_rebuild(tenant_id) FROM tenants;
--> statement-breakpoint
INSERT INTO insight_customer_state (tenant_id, customer_id, phones, product_messages, last_interaction_at)
SELECT coalesce(p.tenant_id, i.tenant_id), coalesce(p.customer_id, i.customer_id), coalesce(p.n, 0), coalesce(i.products, 0), i.last
FROM (SELECT tenant_id, customer_id, count(*) AS n FROM customer_identities WHERE kind = 'phone' GROUP BY 1, 2) p
FULL JOIN (SELECT tenant_id, customer_id, count(*) FILTER (WHERE (entities -> 'products') <> '[]'::jsonb) AS products, max(occurred_at) AS last
  FROM interactions GROUP BY 1, 2) i ON i.tenant_id = p.tenant_id AND i.customer_id = p.customer_id;
--> statement-breakpoint
INSERT INTO insight_lead_state (tenant_id, lead_id, heard, won_at, lost_at)
SELECT l.tenant_id, l.id,
  EXISTS (SELECT 1 FROM interactions i WHERE i.tenant_id = l.tenant_id AND i.customer_id = l.customer_id
    AND i.occurred_at > (l.created_at + interval '7 days') - interval '3 days' AND i.occurred_at <= l.created_at + interval '7 days'),
  (SELECT min((e ->> 'at')::timestamptz) FROM jsonb_array_elements(l.status_history) e WHERE e ->> 'status' = 'won'),
  (SELECT min((e ->> 'at')::timestamptz) FROM jsonb_array_elements(l.status_history) e WHERE e ->> 'status' = 'lost')
FROM leads l;
