CREATE TABLE "stage_models" (
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stage_models_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "stage_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"model_version" integer NOT NULL,
	"stage_key" text NOT NULL,
	"stage_name" text NOT NULL,
	"stage_order" integer NOT NULL,
	"outcome" text,
	"from_key" text,
	"owner_id" uuid,
	"actor" text NOT NULL,
	"actor_name" text,
	"rule" text,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"entered_at" timestamp (3) with time zone NOT NULL,
	"left_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stage_entries_outcome_ck" CHECK ("stage_entries"."outcome" is null or "stage_entries"."outcome" in ('won', 'lost'))
);
--> statement-breakpoint
CREATE TABLE "stage_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"model_version" integer NOT NULL,
	"question_key" text NOT NULL,
	"question_text" text NOT NULL,
	"values" text[] NOT NULL,
	"labels" text[] NOT NULL,
	"user_id" uuid,
	"actor" text NOT NULL,
	"actor_name" text,
	"via" text NOT NULL,
	"answered_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stage_models" ADD CONSTRAINT "stage_models_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_entries" ADD CONSTRAINT "stage_entries_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_entries" ADD CONSTRAINT "stage_entries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_entries" ADD CONSTRAINT "stage_entries_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_answers" ADD CONSTRAINT "stage_answers_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_answers" ADD CONSTRAINT "stage_answers_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_answers" ADD CONSTRAINT "stage_answers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_entries_customer_idx" ON "stage_entries" USING btree ("tenant_id","customer_id","entered_at","seq");--> statement-breakpoint
CREATE INDEX "stage_entries_tenant_stage_idx" ON "stage_entries" USING btree ("tenant_id","stage_key","entered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "stage_entries_current_uq" ON "stage_entries" USING btree ("tenant_id","customer_id") WHERE "stage_entries"."left_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "stage_answers_uq" ON "stage_answers" USING btree ("tenant_id","customer_id","question_key");
