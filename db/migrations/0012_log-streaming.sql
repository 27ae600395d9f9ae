-- Log streaming: destinations per tenant and cloud, and a durable outbox of what each still has to
-- receive. The outbox is written by a trigger on the log, in the same transaction as the records,
-- so a record that commits is queued for every enabled destination whose filters it matches, and
-- waits in PostgreSQL for as long as the receiver is down.
CREATE TABLE "stream_destinations" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"host" text,
	"port" integer,
	"tls" boolean DEFAULT false NOT NULL,
	"tls_ca" text,
	"format" text DEFAULT 'json' NOT NULL,
	"batch_size" integer DEFAULT 100 NOT NULL,
	"operation_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"statuses" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_count" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_delivered_at" timestamp with time zone,
	"lease_owner" uuid,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stream_destinations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "stream_destinations_cloud_key" UNIQUE("tenant_id","cloud","id")
);
--> statement-breakpoint
CREATE TABLE "stream_outbox" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"destination_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"record_id" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stream_outbox_pkey" PRIMARY KEY("tenant_id","destination_id","id"),
	CONSTRAINT "stream_outbox_record_key" UNIQUE("tenant_id","destination_id","record_id")
);
--> statement-breakpoint
-- The outbox names its destination with the cloud: a row can only ever belong to a destination of
-- the same tenant AND cloud, so nothing of one cloud can be queued for the other's receiver.
ALTER TABLE "stream_outbox" ADD CONSTRAINT "stream_outbox_destination_fk" FOREIGN KEY ("tenant_id","cloud","destination_id") REFERENCES "public"."stream_destinations"("tenant_id","cloud","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stream_destinations_due_idx" ON "stream_destinations" USING btree ("next_attempt_at") WHERE "enabled" AND "paused_at" IS NULL;--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_kind_check" CHECK ("kind" IN ('webhook', 'splunk_hec', 'syslog'));--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_format_check" CHECK ("format" IN ('json', 'ocsf'));--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_target_check" CHECK (
  CASE "kind" WHEN 'syslog' THEN "host" IS NOT NULL AND "port" BETWEEN 1 AND 65535 AND "url" IS NULL
              ELSE "url" IS NOT NULL AND "host" IS NULL AND "port" IS NULL END);--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_batch_check" CHECK ("batch_size" BETWEEN 1 AND 1000);--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_statuses_check" CHECK ("statuses" <@ ARRAY['succeeded', 'failed', 'progress', 'decline']::text[]);--> statement-breakpoint
ALTER TABLE "stream_destinations" ADD CONSTRAINT "stream_destinations_paused_check" CHECK (("paused_at" IS NULL) = ("paused_reason" IS NULL));--> statement-breakpoint
ALTER TABLE "stream_outbox" ADD CONSTRAINT "stream_outbox_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint

-- Requests (the settings page) and the delivery worker, scoped per tenant, manage destinations and
-- their queue as the request role; the log itself stays append-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON stream_destinations TO activity_app;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON stream_outbox TO activity_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE stream_outbox_id_seq TO activity_app;--> statement-breakpoint

ALTER TABLE stream_destinations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE stream_destinations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON stream_destinations
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
ALTER TABLE stream_outbox ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE stream_outbox FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON stream_outbox
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['stream_destinations', 'stream_outbox'] LOOP
    EXECUTE format(
      'CREATE POLICY maintenance ON %I TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
      t, current_user);
  END LOOP;
END
$$;--> statement-breakpoint

-- One statement's new records, queued for each enabled destination of the record's own tenant and
-- cloud whose filters it matches (an empty filter matches everything). A paused destination still
-- queues: pausing stops delivery, not the record of what is owed. SECURITY DEFINER with the
-- maintenance switch for its own duration, as the day counts do: an insert by the request role
-- queues too, and the rows come from records that already passed the log's own policy.
CREATE FUNCTION stream_outbox_enqueue() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
BEGIN
  INSERT INTO public.stream_outbox (tenant_id, cloud, destination_id, record_id, occurred_at)
  SELECT a.tenant_id, a.cloud, d.id, a.id, a.occurred_at
  FROM added a
  JOIN public.stream_destinations d ON d.tenant_id = a.tenant_id AND d.cloud = a.cloud AND d.enabled
  WHERE (cardinality(d.operation_types) = 0 OR a.operation_type = ANY (d.operation_types))
    AND (cardinality(d.statuses) = 0 OR a.operation_status = ANY (d.statuses))
    AND (cardinality(d.customer_ids) = 0 OR a.customer_id = ANY (d.customer_ids))
  ORDER BY a.occurred_at, a.id, d.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER stream_outbox_enqueue AFTER INSERT ON activity_records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stream_outbox_enqueue();
