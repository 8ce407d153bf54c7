-- Issue 17 part 3 and 4: tracked links, clicks, visitors and their behaviour events (points that add to
-- customers.score), the credit a won deal gives each touchpoint, and lead intake by per-source mapping.
CREATE TABLE "tracking_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"points" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracked_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"code" text NOT NULL,
	"campaign" text NOT NULL,
	"channel" text NOT NULL,
	"landing_url" text NOT NULL,
	"utm" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_clicks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"link_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"referrer_host" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_visitors" (
	"tenant_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"customer_id" uuid,
	"last_link_id" uuid,
	"first_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tracking_visitors_pk" PRIMARY KEY ("tenant_id", "visitor_id")
);
--> statement-breakpoint
CREATE TABLE "behaviour_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"kind" text NOT NULL,
	"event_key" text NOT NULL,
	"points" real NOT NULL,
	"link_id" uuid,
	"channel" text DEFAULT '' NOT NULL,
	"campaign" text DEFAULT '' NOT NULL,
	"customer_id" uuid,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deal_credits" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"campaign" text NOT NULL,
	"points" real NOT NULL,
	"share" real NOT NULL,
	"amount" numeric(14, 2),
	"won_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "deal_credits_pk" PRIMARY KEY ("tenant_id", "customer_id", "channel", "campaign")
);
--> statement-breakpoint
CREATE TABLE "intake_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"preset" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"secrets" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"source_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"unknown_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text NOT NULL,
	"customer_id" uuid,
	"lead_id" uuid,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intake_deliveries_status_ck" CHECK ("intake_deliveries"."status" in ('captured', 'uncaptured'))
);
--> statement-breakpoint
CREATE TABLE "intake_unknown_fields" (
	"tenant_id" text NOT NULL,
	"source_id" uuid NOT NULL,
	"field" text NOT NULL,
	"sample" text,
	"seen" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	CONSTRAINT "intake_unknown_fields_pk" PRIMARY KEY ("tenant_id", "source_id", "field")
);
--> statement-breakpoint
ALTER TABLE "tracking_settings" ADD CONSTRAINT "tracking_settings_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_links" ADD CONSTRAINT "tracked_links_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_link_id_tracked_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracked_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_visitors" ADD CONSTRAINT "tracking_visitors_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_visitors" ADD CONSTRAINT "tracking_visitors_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_events" ADD CONSTRAINT "behaviour_events_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_events" ADD CONSTRAINT "behaviour_events_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_credits" ADD CONSTRAINT "deal_credits_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_credits" ADD CONSTRAINT "deal_credits_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_sources" ADD CONSTRAINT "intake_sources_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_deliveries" ADD CONSTRAINT "intake_deliveries_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_deliveries" ADD CONSTRAINT "intake_deliveries_source_id_intake_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."intake_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_unknown_fields" ADD CONSTRAINT "intake_unknown_fields_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_unknown_fields" ADD CONSTRAINT "intake_unknown_fields_source_id_intake_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."intake_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_settings_public_key_uq" ON "tracking_settings" USING btree ("public_key");--> statement-breakpoint
-- /l/<code> carries no tenant: codes are unique across tenants.
CREATE UNIQUE INDEX "tracked_links_code_uq" ON "tracked_links" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tracked_links_tenant_idx" ON "tracked_links" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "link_clicks_link_idx" ON "link_clicks" USING btree ("tenant_id","link_id","at");--> statement-breakpoint
CREATE INDEX "tracking_visitors_customer_idx" ON "tracking_visitors" USING btree ("tenant_id","customer_id") WHERE "customer_id" IS NOT NULL;--> statement-breakpoint
-- A page that reports the same event twice (reload, retry) counts it once.
CREATE UNIQUE INDEX "behaviour_events_uq" ON "behaviour_events" USING btree ("tenant_id","visitor_id","kind","event_key");--> statement-breakpoint
CREATE INDEX "behaviour_events_customer_idx" ON "behaviour_events" USING btree ("tenant_id","customer_id") WHERE "customer_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "deal_credits_won_idx" ON "deal_credits" USING btree ("tenant_id","won_at");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_sources_slug_uq" ON "intake_sources" USING btree ("tenant_id","slug");--> statement-breakpoint
-- A source's retry of the same lead is a no-op.
CREATE UNIQUE INDEX "intake_deliveries_uq" ON "intake_deliveries" USING btree ("tenant_id","source_id","external_id");--> statement-breakpoint
CREATE INDEX "intake_deliveries_time_idx" ON "intake_deliveries" USING btree ("tenant_id","source_id","received_at");
