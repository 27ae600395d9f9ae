import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseDestinationInput } from "@/lib/streaming/destination";
import { eventIdFor, type StreamRecord } from "@/lib/streaming/record";
import { send } from "@/lib/streaming/transports";
import { blockedAddress, checkedLookup, privateNetworksPolicy } from "@/lib/streaming/transports/address-policy";
import type { TransportTarget } from "@/lib/streaming/transports/types";
import { fieldIssuesOf } from "@/lib/validation";
import { startWebhookReceiver } from "../support/stream-receivers";

/*
 * A destination is typed by a tenant and reached from inside our network: the address policy keeps
 * it off the metadata service always, and off private networks and this machine unless the
 * deployment allows them (the tests' receivers are on this machine, so the suite allows them).
 */

const SECRET = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
const saved = process.env.STREAM_PRIVATE_NETWORKS;
afterEach(() => {
  process.env.STREAM_PRIVATE_NETWORKS = saved;
});

describe("blockedAddress", () => {
  it("never lets a destination reach link-local, unspecified, multicast or reserved addresses", () => {
    for (const ip of [
      "169.254.169.254",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "fe80::1",
      "ff02::1",
      "fd00:ec2::254",
      "::ffff:169.254.169.254",
      "::ffff:a9fe:a9fe",
      "[fe80::1]",
    ])
      expect(blockedAddress(ip, "allow"), ip).toMatch(/reserved or link-local/);
  });

  it("keeps private networks and this machine out unless they are allowed", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.10",
      "100.64.0.1",
      "::1",
      "fd12::1",
      "::ffff:10.0.0.1",
      "::ffff:7f00:1",
    ]) {
      expect(blockedAddress(ip, "deny"), ip).toMatch(/private network/);
      expect(blockedAddress(ip, "allow"), ip).toBeNull();
    }
  });

  it("lets public addresses through", () => {
    for (const ip of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
      expect(blockedAddress(ip, "deny"), ip).toBeNull();
  });

  it("reads the policy from STREAM_PRIVATE_NETWORKS and refuses a value it does not know", () => {
    expect(privateNetworksPolicy({} as unknown as NodeJS.ProcessEnv)).toBe("deny");
    expect(privateNetworksPolicy({ STREAM_PRIVATE_NETWORKS: "Allow" } as unknown as NodeJS.ProcessEnv)).toBe("allow");
    expect(() => privateNetworksPolicy({ STREAM_PRIVATE_NETWORKS: "yes" } as unknown as NodeJS.ProcessEnv)).toThrow(
      /STREAM_PRIVATE_NETWORKS must be "deny" or "allow"/,
    );
  });
});

describe("checkedLookup", () => {
  it("refuses a name that resolves to a blocked address, as a connection would see it", async () => {
    const lookup = checkedLookup("deny");
    const error = await new Promise<Error | null>((resolve) => lookup("localhost", {}, (e) => resolve(e)));
    expect(error).toMatchObject({ code: "EDESTINATIONBLOCKED" });
    expect(error!.message).toMatch(/^localhost resolves to .* private network/);
    const ok = await new Promise<string>((resolve, reject) =>
      checkedLookup("allow")("localhost", {}, (e, address) => (e ? reject(e) : resolve(address as string))),
    );
    expect(net.isIP(ok)).not.toBe(0);
  });
});

describe("a destination on this machine", () => {
  const record: StreamRecord = {
    recordId: 1,
    tenantId: "0a000000-0000-4000-8000-00000000000a",
    cloud: "commercial",
    occurredAt: new Date("2026-11-01T00:00:00Z"),
    recordedAt: new Date("2026-11-01T00:00:01Z"),
    customerId: null,
    customerName: null,
    operationType: "add_customer",
    resourceType: "customer",
    operationStatus: "succeeded",
    userPrincipalName: "admin@contoso.example",
    applicationId: "portal",
    correlationId: "0c000000-0000-4000-8000-00000000000c",
    resourceOldValue: null,
    resourceNewValue: null,
    customizedData: null,
  };

  it("is refused when it is configured, and its connection when a name leads there, unless private networks are allowed", async () => {
    process.env.STREAM_PRIVATE_NETWORKS = "deny";
    const configured = (() => {
      try {
        parseDestinationInput({ name: "SIEM", kind: "webhook", url: "http://127.0.0.1:9/in" }, { isNew: true });
      } catch (error) {
        return fieldIssuesOf(error);
      }
    })();
    expect(configured).toMatchObject([{ field: "url", code: "url_blocked" }]);
    expect(() =>
      parseDestinationInput({ name: "S", kind: "syslog", host: "169.254.169.254", port: 514 }, { isNew: true }),
    ).toThrow(/host is a private, reserved or link-local address/);

    const receiver = await startWebhookReceiver(SECRET);
    try {
      const target: TransportTarget = {
        id: "d",
        kind: "webhook",
        format: "json",
        url: `http://localhost:${receiver.port}/in`, // a name: only the connection's lookup can tell
        host: null,
        port: null,
        tls: false,
        tlsCa: null,
        batchSize: 1,
      };
      const events = [
        { eventId: eventIdFor(record.tenantId, record.recordId), record, event: { id: record.recordId } },
      ];
      await expect(send(target, events, { secret: SECRET, timeoutMs: 5_000 })).rejects.toThrow(
        /did not connect to localhost:\d+: localhost resolves to .* private network/,
      );
      const syslog = { ...target, kind: "syslog" as const, url: null, host: "127.0.0.1", port: receiver.port };
      await expect(send(syslog, events, { secret: null, timeoutMs: 5_000 })).rejects.toThrow(
        /did not connect to 127\.0\.0\.1/,
      );
      expect(receiver.requests).toBe(0);

      process.env.STREAM_PRIVATE_NETWORKS = "allow";
      await send(target, events, { secret: SECRET, timeoutMs: 5_000 });
      expect(receiver.events).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
