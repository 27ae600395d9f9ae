ALTER TABLE "activity_record_details" ADD COLUMN "source_record" jsonb;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{ingest}'::text[] NOT NULL;--> statement-breakpoint
-- Partner Center's fourth status: a request the other party declined.
ALTER TABLE "activity_records" DROP CONSTRAINT "activity_records_status_check";--> statement-breakpoint
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_status_check" CHECK ("operation_status" IN ('succeeded', 'failed', 'progress', 'decline'));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_check" CHECK (cardinality("scopes") > 0 AND "scopes" <@ ARRAY['ingest', 'read']::text[]);--> statement-breakpoint
-- The lookup now also answers what the key may do (its return type changes, so it is recreated).
DROP FUNCTION api_key_lookup(text);--> statement-breakpoint
CREATE FUNCTION api_key_lookup(p_key_hash text) RETURNS TABLE (key_id uuid, tenant_id uuid, cloud text, scopes text[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
SET app.maintenance = 'on'
AS $$
  SELECT k.id, k.tenant_id, t.cloud, k.scopes
  FROM public.api_keys k JOIN public.partner_tenants t ON t.id = k.tenant_id
  WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO activity_app;
