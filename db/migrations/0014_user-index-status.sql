-- The partner-user filter with statuses (a multi-select of users and statuses): with
-- operation_status in the user index, the page's capped count checks the status on the index
-- entry and stays an index-only scan, as the status and action indexes already do; without it
-- each of up to 10,001 entries visited the heap. Same keys and order as 0009.
DROP INDEX "activity_records_user_idx";--> statement-breakpoint
CREATE INDEX "activity_records_user_idx" ON "activity_records" USING btree ("tenant_id","user_key","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type","operation_status");
