-- The page's indexes carry `cloud` (INCLUDE): row-level security checks it on every row, and with it
-- in the index the capped count is an index-only scan instead of up to 10,001 heap visits.
-- One index per filter over a closed set of values (status; action, then status; user), each ending
-- in the page's order, so a filtered page and its count walk only matching entries. drizzle-kit
-- cannot express INCLUDE: db/schema.ts lists the key columns, this file is the truth.
-- `user_key` (lower(upn)) exists because a qual calling lower() on a column is not leakproof, and
-- under row-level security such a qual can only filter, never be an index condition.
ALTER TABLE "activity_records" ADD COLUMN "user_key" text GENERATED ALWAYS AS (lower(user_principal_name)) STORED;--> statement-breakpoint
DROP INDEX "activity_records_page_idx";--> statement-breakpoint
CREATE INDEX "activity_records_page_idx" ON "activity_records" USING btree ("tenant_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud");--> statement-breakpoint
CREATE INDEX "activity_records_status_idx" ON "activity_records" USING btree ("tenant_id","operation_status","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud");--> statement-breakpoint
CREATE INDEX "activity_records_action_idx" ON "activity_records" USING btree ("tenant_id","operation_type","operation_status","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud");--> statement-breakpoint
CREATE INDEX "activity_records_user_idx" ON "activity_records" USING btree ("tenant_id","user_key","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud");
