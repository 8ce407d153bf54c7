-- Issue 17 part 1: spreadsheet imports. A job per uploaded file (unique per tenant and file hash, so
-- the same file twice is the same job), the file itself in 1 MiB chunks (a restart or another
-- instance continues from the database, not from a local disk), the outcome of every data row (the
-- downloadable report; one row per committed chunk, arrays side by side: 200,000 single rows cost
-- more index upkeep than the customers themselves), and the admin's mapping choices per header set.
CREATE TABLE "import_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" integer NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"status" text NOT NULL,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"header_row" integer DEFAULT 0 NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"mapping" jsonb,
	"analysis" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" jsonb,
	"lease_until" timestamp (3) with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_jobs_status_ck" CHECK ("import_jobs"."status" in ('analyzed', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "import_files" (
	"tenant_id" text NOT NULL,
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" bytea NOT NULL,
	CONSTRAINT "import_files_pk" PRIMARY KEY ("job_id", "seq")
);
--> statement-breakpoint
CREATE TABLE "import_results" (
	"tenant_id" text NOT NULL,
	"job_id" uuid NOT NULL,
	"first_row" integer NOT NULL,
	"row_nos" integer[] NOT NULL,
	"outcomes" text[] NOT NULL,
	"customer_ids" uuid[] NOT NULL,
	"details" text[] NOT NULL,
	CONSTRAINT "import_results_pk" PRIMARY KEY ("job_id", "first_row")
);
--> statement-breakpoint
CREATE TABLE "import_mappings" (
	"tenant_id" text NOT NULL,
	"headers_key" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mappings_pk" PRIMARY KEY ("tenant_id", "headers_key")
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_results" ADD CONSTRAINT "import_results_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mappings" ADD CONSTRAINT "import_mappings_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "import_jobs_file_uq" ON "import_jobs" USING btree ("tenant_id","file_sha256");--> statement-breakpoint
CREATE INDEX "import_jobs_tenant_idx" ON "import_jobs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "import_jobs_running_idx" ON "import_jobs" USING btree ("status","lease_until");
