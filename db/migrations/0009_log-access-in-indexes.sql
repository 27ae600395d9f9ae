-- The page leaves the log's own access records (operation_type view_activity_log and
-- export_activity_log) out by default. With operation_type in the indexes the page and its capped
-- count read, that exclusion is checked on the index entry, so the count stays an index-only scan
-- (no heap visit per entry); the action index already has it as a key. Same keys and order as 0005.
DROP INDEX "activity_records_page_idx";--> statement-breakpoint
CREATE INDEX "activity_records_page_idx" ON "activity_records" USING btree ("tenant_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");--> statement-breakpoint
DROP INDEX "activity_records_status_idx";--> statement-breakpoint
CREATE INDEX "activity_records_status_idx" ON "activity_records" USING btree ("tenant_id","operation_status","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");--> statement-breakpoint
DROP INDEX "activity_records_user_idx";--> statement-breakpoint
CREATE INDEX "activity_records_user_idx" ON "activity_records" USING btree ("tenant_id","user_key","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");
