DROP INDEX "inbox_events_due_idx";--> statement-breakpoint
DROP INDEX "outbox_due_idx";--> statement-breakpoint
DROP INDEX "leads_tenant_customer_idx";--> statement-breakpoint
CREATE INDEX "inbox_events_pending_idx" ON "inbox_events" USING btree ("next_attempt_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "inbox_events_lease_idx" ON "inbox_events" USING btree ("locked_until") WHERE status = 'processing';--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox_messages" USING btree ("next_attempt_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_lease_idx" ON "outbox_messages" USING btree ("locked_until") WHERE status = 'processing';--> statement-breakpoint
CREATE INDEX "leads_tenant_customer_idx" ON "leads" USING btree ("tenant_id","customer_id","created_at");