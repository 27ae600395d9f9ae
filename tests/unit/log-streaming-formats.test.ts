import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/streaming/backoff";
import { generateWebhookSecret, parseDestinationInput } from "@/lib/streaming/destination";
import { ocsfActivityId, toOcsf, toStreamJson } from "@/lib/streaming/formats";
import { eventIdFor, type StreamRecord } from "@/lib/streaming/record";
import { hecBody, hecUrl } from "@/lib/streaming/transports/splunk-hec";
import { escapeSdValue, octetCounted, syslogMessage } from "@/lib/streaming/transports/syslog";
import { signedWebhookHeaders, webhookBody, webhookMessageId } from "@/lib/streaming/transports/webhook";
import { AppError } from "@/lib/errors";

const TENANT = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03";

const record = (overrides: Partial<StreamRecord> = {}): StreamRecord => ({
  recordId: 42,
  tenantId: TENANT,
  cloud: "usgov",
  occurredAt: new Date("2026-11-02T08:15:30.123Z"),
  recordedAt: new Date("2026-11-02T08:15:31.000Z"),
  customerId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  customerName: "Northwind Traders",
  operationType: "update_subscription",
  resourceType: "subscription",
  operationStatus: "failed",
  userPrincipalName: "agent@tailspin.example",
  applicationId: "Partner Center Web",
  correlationId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  resourceOldValue: { quantity: 5 },
  resourceNewValue: { quantity: 7 },
  customizedData: null,
  ...overrides,
});

const outgoing = (r: StreamRecord) => ({
  eventId: eventIdFor(r.tenantId, r.recordId),
  record: r,
  event: toStreamJson(r),
});

describe("event ids", () => {
  it("are the same for the same record, different for any other, and UUIDs of version 5", () => {
    expect(eventIdFor(TENANT, 42)).toBe(eventIdFor(TENANT.toUpperCase(), 42));
    expect(eventIdFor(TENANT, 42)).not.toBe(eventIdFor(TENANT, 43));
    expect(eventIdFor(TENANT, 42)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("our JSON record", () => {
  it("carries every field of the record, with its stable event id", () => {
    expect(toStreamJson(record())).toEqual({
      id: "42",
      eventId: eventIdFor(TENANT, 42),
      time: "2026-11-02T08:15:30.123Z",
      recordedAt: "2026-11-02T08:15:31.000Z",
      tenantId: TENANT,
      cloud: "usgov",
      user: "agent@tailspin.example",
      applicationId: "Partner Center Web",
      operation: "update_subscription",
      resourceType: "subscription",
      status: "failed",
      customer: { id: "0f8fad5b-d9cb-469f-a165-70867728950e", name: "Northwind Traders" },
      correlationId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
      details: { resourceOldValue: { quantity: 5 }, resourceNewValue: { quantity: 7 }, customizedData: null },
    });
    const bare = toStreamJson(
      record({ customerId: null, customerName: null, resourceOldValue: null, resourceNewValue: null }),
    );
    expect(bare.customer).toBeNull();
    expect(bare.details).toBeNull();
  });
});

describe("OCSF API Activity", () => {
  it("maps the record to class 6003 with its cloud partition, actor, api, status and metadata", () => {
    const o = toOcsf(record());
    expect(o).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 3,
      type_uid: 600303,
      status_id: 2,
      status: "Failure",
      time: Date.parse("2026-11-02T08:15:30.123Z"),
      actor: { user: { name: "agent@tailspin.example" }, app_name: "Partner Center Web" },
      api: { operation: "update_subscription" },
      cloud: { provider: "Azure", cloud_partition: "AzureUSGovernment" },
      metadata: {
        uid: eventIdFor(TENANT, 42),
        correlation_uid: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
        tenant_uid: TENANT,
        product: { name: "Partner Activity Log" },
      },
      unmapped: { customer: { name: "Northwind Traders" }, details: { resourceNewValue: { quantity: 7 } } },
    });
    expect(toOcsf(record({ cloud: "commercial" })).cloud.cloud_partition).toBe("AzureCloud");
    expect(toOcsf(record({ operationStatus: "succeeded" })).status_id).toBe(1);
    expect(toOcsf(record({ operationStatus: "progress" })).status_id).toBe(99);
  });

  it("names the activity by the operation's verb, in either naming style, and Other otherwise", () => {
    expect(ocsfActivityId("create_order")).toBe(1);
    expect(ocsfActivityId("AddCustomer")).toBe(1);
    expect(ocsfActivityId("view_activity_log")).toBe(2);
    expect(ocsfActivityId("export_activity_log")).toBe(2);
    expect(ocsfActivityId("UpdateCustomerQualification")).toBe(3);
    expect(ocsfActivityId("delete_user")).toBe(4);
    expect(ocsfActivityId("RemovePartnerCustomerRelationship")).toBe(4);
    expect(ocsfActivityId("sign_in")).toBe(99);
    expect(ocsfActivityId("")).toBe(99);
    expect(toOcsf(record({ operationType: "sign_in" }))).toMatchObject({ activity_id: 99, type_uid: 600399 });
  });
});

describe("Standard Webhooks signing", () => {
  const secret = generateWebhookSecret();

  it("signs so that the library's verify accepts it, and refuses a tampered body", () => {
    const events = [outgoing(record()), outgoing(record({ recordId: 43 }))];
    const { body, contentType } = webhookBody(events);
    expect(contentType).toBe("application/x-ndjson");
    expect(
      body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(["42", "43"]);
    const headers = signedWebhookHeaders(secret, webhookMessageId(events), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,/);
    expect(() => new Webhook(secret).verify(body, headers, { jsonParse: false })).not.toThrow();
    expect(() => new Webhook(secret).verify(body.replace("42", "44"), headers, { jsonParse: false })).toThrow();
  });

  it("gives the same batch the same message id, and one event its own", () => {
    const a = [outgoing(record()), outgoing(record({ recordId: 43 }))];
    expect(webhookMessageId(a)).toBe(webhookMessageId([outgoing(record()), outgoing(record({ recordId: 43 }))]));
    expect(webhookMessageId(a)).not.toBe(webhookMessageId([outgoing(record())]));
    expect(webhookMessageId([outgoing(record())])).toBe(`msg_${eventIdFor(TENANT, 42)}`);
    expect(webhookBody([outgoing(record())]).contentType).toBe("application/json");
  });
});

describe("Splunk HEC", () => {
  it("appends the event endpoint to a bare base URL and concatenates envelopes", () => {
    expect(hecUrl("https://splunk.example:8088")).toBe("https://splunk.example:8088/services/collector/event");
    expect(hecUrl("https://splunk.example:8088/custom/path")).toBe("https://splunk.example:8088/custom/path");
    const body = hecBody([outgoing(record()), outgoing(record({ recordId: 43 }))], "json");
    const envelopes = body.split("\n").map((l) => JSON.parse(l));
    expect(envelopes).toHaveLength(2);
    expect(envelopes[0]).toMatchObject({ time: 1793607330.123, source: "partner-activity-log", sourcetype: "_json" });
    expect(envelopes[0].event.id).toBe("42");
  });
});

describe("RFC 5424 syslog", () => {
  it("writes PRI for facility 13, the header, escaped structured data and the JSON message", () => {
    const r = record({ userPrincipalName: 'a"b\\c]d@tailspin.example' });
    const message = syslogMessage(outgoing(r), { hostname: "app-1", procId: "77", enterpriseNumber: "32473" });
    expect(
      message.startsWith(
        "<108>1 2026-11-02T08:15:30.123Z app-1 partner-activity-log 77 update_subscription [activity@32473 ",
      ),
    ).toBe(true);
    expect(message).toContain('user="a\\"b\\\\c\\]d@tailspin.example"');
    expect(message).toContain(`eventId="${eventIdFor(TENANT, 42)}"`);
    expect(JSON.parse(message.slice(message.indexOf("] {") + 2)).id).toBe("42");
    expect(syslogMessage(outgoing(record({ operationStatus: "succeeded" })))).toMatch(/^<110>1 /);
    expect(escapeSdValue('x"y\\z]')).toBe('x\\"y\\\\z\\]');
  });

  it("frames by octet count in bytes, not characters", () => {
    expect(octetCounted("héllo").toString("utf8")).toBe("6 héllo");
  });
});

describe("retry delays", () => {
  const policy = { baseMs: 1000, capMs: 60_000, maxFailures: 5 };
  it("double from the base, stay under the cap, and jitter between half and all of it", () => {
    expect(retryDelayMs(1, policy, 0, () => 1)).toBe(1000);
    expect(retryDelayMs(3, policy, 0, () => 1)).toBe(4000);
    expect(retryDelayMs(3, policy, 0, () => 0)).toBe(2000);
    expect(retryDelayMs(30, policy, 0, () => 1)).toBe(60_000);
    expect(retryDelayMs(1, policy, 30_000, () => 0)).toBe(30_000);
  });
});

describe("destination input", () => {
  it("names the field that is wrong", () => {
    const bad = (body: unknown) => {
      try {
        parseDestinationInput(body, { isNew: true });
      } catch (error) {
        return error instanceof AppError ? `${error.status} ${error.message}` : String(error);
      }
      return "accepted";
    };
    expect(bad({ name: "x", kind: "syslog", port: 514 })).toMatch(/^400 host /);
    expect(bad({ name: "x", kind: "webhook", url: "ftp://x" })).toMatch(/^400 url /);
    expect(bad({ name: "x", kind: "splunk_hec", url: "https://splunk.example" })).toMatch(/^400 secret /);
    expect(bad({ name: "x", kind: "webhook", url: "https://h.example", secret: "plain" })).toMatch(/^400 secret /);
    expect(bad({ name: "x", kind: "webhook", url: "https://h.example", statuses: ["nope"] })).toMatch(/^400 statuses/);
    const generated = parseDestinationInput(
      { name: "x", kind: "webhook", url: "https://h.example/in" },
      { isNew: true },
    );
    expect(generated.secret).toMatch(/^whsec_/);
  });
});
