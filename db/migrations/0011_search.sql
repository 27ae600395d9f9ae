-- The search box. Names are compared folded: NFKC (full-width letters and compatibility forms to
-- their plain forms), then unaccent (é -> e, Š -> S, ß -> ss, Ł -> L), then lower case. unaccent is a
-- trusted contrib extension (a database owner may create it); the dictionary is named with its
-- schema so the function does not depend on the caller's search_path. unaccent() is STABLE only
-- because a dictionary could be edited; this function is declared IMMUTABLE so it can define a
-- stored column, which holds as long as unaccent.rules is not changed (it ships with PostgreSQL).
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;--> statement-breakpoint
CREATE FUNCTION activity_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, normalize(value, NFKC)));--> statement-breakpoint
-- A text that is a UUID, as one, else null: a stored column must never fail an insert.
CREATE FUNCTION activity_uuid_or_null(value text) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE WHEN value ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN value::uuid END;--> statement-breakpoint

-- Stored, not computed in the query, like user_key (0005): under row-level security a qual that
-- calls a non-leakproof function on a column (activity_search_fold, LIKE, jsonb operators) can only
-- filter rows, never be an index condition. The search compares these columns with = and >, which
-- are leakproof, so each lookup is an index probe.
ALTER TABLE "activity_records" ADD COLUMN "customer_key" text GENERATED ALWAYS AS (activity_search_fold(customer_name)) STORED;--> statement-breakpoint
-- The id of the subscription or order a record is about, and the company name an "Add customer"
-- that created no customer tried (a details row naming a company but no customer id).
ALTER TABLE "activity_record_details" ADD COLUMN "resource_key" uuid GENERATED ALWAYS AS (activity_uuid_or_null(coalesce(resource_new_value->>'subscriptionId', resource_new_value->>'orderId', resource_old_value->>'subscriptionId'))) STORED;--> statement-breakpoint
ALTER TABLE "activity_record_details" ADD COLUMN "attempted_customer_key" text GENERATED ALWAYS AS (CASE WHEN NOT (resource_new_value ? 'customerId') THEN activity_search_fold(resource_new_value->>'companyName') END) STORED;--> statement-breakpoint

-- Same shape as the page's other filter indexes (0005, 0009): key, then the page's order, with the
-- columns row-level security and the log-access exclusion read.
CREATE INDEX "activity_records_customer_key_idx" ON "activity_records" USING btree ("tenant_id","customer_key","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");--> statement-breakpoint
CREATE INDEX "activity_records_customer_idx" ON "activity_records" USING btree ("tenant_id","customer_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");--> statement-breakpoint
CREATE INDEX "activity_records_correlation_idx" ON "activity_records" USING btree ("tenant_id","correlation_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("cloud","operation_type");--> statement-breakpoint
CREATE INDEX "activity_record_details_resource_key_idx" ON "activity_record_details" USING btree ("tenant_id","resource_key") INCLUDE ("occurred_at","record_id") WHERE "resource_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "activity_record_details_attempted_customer_idx" ON "activity_record_details" USING btree ("tenant_id","attempted_customer_key","occurred_at") INCLUDE ("record_id") WHERE "attempted_customer_key" IS NOT NULL;
