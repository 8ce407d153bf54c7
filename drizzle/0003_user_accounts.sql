CREATE TABLE "user_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "users_wecom_uq";--> statement-breakpoint
DROP INDEX "users_dingtalk_uq";--> statement-breakpoint
DROP INDEX "users_dingtalk_union_uq";--> statement-breakpoint
ALTER TABLE "user_accounts" ADD CONSTRAINT "user_accounts_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_accounts" ADD CONSTRAINT "user_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "user_accounts_uq" ON "user_accounts" USING btree ("tenant_id","platform","kind","value");--> statement-breakpoint
CREATE INDEX "user_accounts_user_idx" ON "user_accounts" USING btree ("tenant_id","user_id");--> statement-breakpoint
-- Today's account columns become rows before they go: one row per non-null column value, created
-- when its user was. The old unique indexes guarantee no two rows collide.
INSERT INTO "user_accounts" ("tenant_id", "user_id", "platform", "kind", "value", "created_at")
SELECT "tenant_id", "id", 'wecom', 'userid', "wecom_user_id", "created_at" FROM "users" WHERE "wecom_user_id" IS NOT NULL
UNION ALL
SELECT "tenant_id", "id", 'dingtalk', 'userid', "dingtalk_user_id", "created_at" FROM "users" WHERE "dingtalk_user_id" IS NOT NULL
UNION ALL
SELECT "tenant_id", "id", 'dingtalk', 'unionid', "dingtalk_union_id", "created_at" FROM "users" WHERE "dingtalk_union_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "wecom_user_id";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "dingtalk_user_id";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "dingtalk_union_id";