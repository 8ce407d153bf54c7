-- Issue 16: managers' insight and automation. Spend per source (cost per lead), one row per automation
-- rule firing (a rule acts once per subject, across restarts and instances), and threshold alerts.
CREATE TABLE "insight_spend" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"source_channel" text NOT NULL,
	"campaign" text DEFAULT '' NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insight_spend_pk" PRIMARY KEY ("tenant_id", "day", "source_channel", "campaign"),
	CONSTRAINT "insight_spend_amount_ck" CHECK ("insight_spend"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "automation_firings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"subject" text NOT NULL,
	"customer_id" uuid,
	"task_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"fired_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"metric" text NOT NULL,
	"scope" text NOT NULL,
	"day" date NOT NULL,
	"value" real NOT NULL,
	"threshold" real NOT NULL,
	"streak" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insight_spend" ADD CONSTRAINT "insight_spend_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_firings" ADD CONSTRAINT "automation_firings_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_alerts" ADD CONSTRAINT "insight_alerts_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "automation_firings_uq" ON "automation_firings" USING btree ("tenant_id","rule_id","subject");--> statement-breakpoint
CREATE INDEX "automation_firings_tenant_idx" ON "automation_firings" USING btree ("tenant_id","fired_at");--> statement-breakpoint
CREATE UNIQUE INDEX "insight_alerts_uq" ON "insight_alerts" USING btree ("tenant_id","metric","scope","day");--> statement-breakpoint
-- Metrics over a period read a tenant's interactions by time, not by customer. The sidebar's 0007 made the
-- same index without the covered columns; this one replaces it.
DROP INDEX IF EXISTS "interactions_tenant_time_idx";--> statement-breakpoint
CREATE INDEX "interactions_tenant_time_idx" ON "interactions" USING btree ("tenant_id","occurred_at") INCLUDE ("customer_id","author_id","direction");--> statement-breakpoint
-- Completeness asks, per customer, whether any message named a product: only those messages are indexed.
CREATE INDEX "interactions_need_idx" ON "interactions" USING btree ("tenant_id","customer_id") WHERE ("entities" -> 'products') <> '[]'::jsonb;--> statement-breakpoint
-- The unassigned queue: highest source weight first, then oldest.
CREATE INDEX "leads_queue_idx" ON "leads" USING btree ("tenant_id","priority" DESC,"created_at","id") WHERE "assignee_id" IS NULL AND "status" = 'new';
