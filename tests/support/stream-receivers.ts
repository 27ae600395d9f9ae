import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Webhook } from "standardwebhooks";
import { freePort } from "../../lib/embedded-db";
import { required } from "./present";

/*
 * Real receivers for the log streaming tests, started by the tests: a Standard Webhooks receiver
 * that verifies with the standardwebhooks library, a Splunk-HEC-compatible collector, and
 * Debian's rsyslogd. Each can go down and come back on the same port.
 */

/** Polls until `check` is true (or throws after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = "a condition") {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface HttpReceiver {
  port: number;
  url: (pathname?: string) => string;
  /** Events accepted, in arrival order (after dropping repeated message ids). */
  events: Array<Record<string, unknown>>;
  /** The request path each accepted event came on. */
  paths: string[];
  rejected: Array<{ status: number; reason: string }>;
  /** Answer every request with this status instead (e.g. 400 forever, 410). */
  answerWith: number | null;
  /** Requests taken (any status), counted before deduplication. */
  requests: number;
  /** Hold each answer this long after taking the request (a slow receiver). */
  answerDelayMs: number;
  /** Requests whose message id was already taken (dropped, answered 200). */
  duplicateMessages: number;
  /** Each request's Content-Encoding ("identity" when none). */
  encodings: string[];
  /** Answer 415 to a gzip-encoded body, as a server without decompression does. */
  refuseGzip: boolean;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function httpReceiver(
  handle: (req: http.IncomingMessage, body: string, receiver: HttpReceiver) => { status: number; body?: string },
): Promise<HttpReceiver> {
  const port = await freePort();
  let server: http.Server | null = null;
  const receiver: HttpReceiver = {
    port,
    url: (pathname = "/") => `http://127.0.0.1:${port}${pathname}`,
    events: [],
    paths: [],
    rejected: [],
    answerWith: null,
    requests: 0,
    answerDelayMs: 0,
    duplicateMessages: 0,
    encodings: [],
    refuseGzip: false,
    async up() {
      if (server) return;
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const raw = Buffer.concat(chunks);
          const encoding = String(req.headers["content-encoding"] ?? "identity");
          receiver.requests++;
          receiver.encodings.push(encoding);
          // As a web server does: the body is decoded before the handler (and the signature check) sees it.
          const refused = encoding === "gzip" && receiver.refuseGzip;
          const answer =
            receiver.answerWith !== null
              ? { status: receiver.answerWith, body: "refused by the test" }
              : refused
                ? { status: 415, body: "gzip is not accepted here" }
                : handle(req, (encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8"), receiver);
          setTimeout(() => {
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(answer.body ?? "{}");
          }, receiver.answerDelayMs);
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", () => resolve());
      });
    },
    async down() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
    close: () => receiver.down(),
  };
  await receiver.up();
  return receiver;
}

/**
 * A Standard Webhooks consumer: verifies each request with `Webhook.verify` (signature and a
 * timestamp within five minutes), drops a message id it already took, and keeps the events.
 */
export async function startWebhookReceiver(secret: string) {
  const seen = new Set<string>();
  const webhook = new Webhook(secret);
  const receiver = await httpReceiver((req, body, r) => {
    try {
      webhook.verify(body, req.headers as Record<string, string>, { jsonParse: false });
    } catch (error) {
      r.rejected.push({ status: 401, reason: (error as Error).message });
      return { status: 401, body: JSON.stringify({ error: (error as Error).message }) };
    }
    const id = String(req.headers["webhook-id"]);
    if (seen.has(id)) {
      r.duplicateMessages++;
      return { status: 200 };
    }
    seen.add(id);
    const type = String(req.headers["content-type"] ?? "");
    const lines = type.includes("ndjson") ? body.split("\n").filter(Boolean) : [body];
    for (const line of lines) {
      r.events.push(JSON.parse(line) as Record<string, unknown>);
      r.paths.push(req.url ?? "/");
    }
    return { status: 204 };
  });
  return Object.assign(receiver, { messageIds: seen });
}

/** Splits concatenated JSON objects (HEC takes them with or without whitespace between). */
export function splitConcatenatedJson(body: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0) out.push(JSON.parse(body.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c!)) throw new Error(`not concatenated JSON objects at ${i}`);
  }
  if (depth !== 0) throw new Error("an object is not closed");
  return out;
}

/** A collector that answers as Splunk's HTTP Event Collector does for /services/collector/event. */
export async function startHecReceiver(token: string) {
  return httpReceiver((req, body, r) => {
    const refuse = (status: number, text: string, code: number) => {
      r.rejected.push({ status, reason: text });
      return { status, body: JSON.stringify({ text, code }) };
    };
    if (req.method !== "POST" || req.url !== "/services/collector/event") return refuse(404, "Not Found", 404);
    if (req.headers.authorization !== `Splunk ${token}`) return refuse(403, "Invalid token", 4);
    let envelopes: unknown[];
    try {
      envelopes = splitConcatenatedJson(body);
    } catch {
      return refuse(400, "Invalid data format", 6);
    }
    for (const e of envelopes as Array<Record<string, unknown>>) {
      const ok =
        typeof e.time === "number" &&
        typeof e.host === "string" &&
        typeof e.source === "string" &&
        typeof e.sourcetype === "string" &&
        e.event !== null &&
        typeof e.event === "object";
      if (!ok) return refuse(400, "Invalid data format", 6);
    }
    for (const e of envelopes as Array<Record<string, unknown>>) {
      r.events.push(e);
      r.paths.push(req.url);
    }
    return { status: 200, body: JSON.stringify({ text: "Success", code: 0 }) };
  });
}

export const RSYSLOGD = "/usr/sbin/rsyslogd";

/**
 * Debian's rsyslogd with imtcp on a free port (octet-counted frames understood), writing each
 * message's raw text, one per line, to a file.
 */
export async function startRsyslog() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rsyslog-test-"));
  const port = await freePort();
  const output = path.join(dir, "received.log");
  const conf = path.join(dir, "rsyslog.conf");
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}" maxMessageSize="256k")`,
      `module(load="imtcp")`,
      `template(name="raw" type="string" string="%rawmsg%\\n")`,
      `input(type="imtcp" port="${port}" address="127.0.0.1" ruleset="capture")`,
      `ruleset(name="capture") { action(type="omfile" file="${output}" template="raw" flushOnTXEnd="on" asyncWriting="off") }`,
      "",
    ].join("\n"),
  );
  let child: ChildProcess | null = null;
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: "127.0.0.1" }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
  const rsyslog = {
    port,
    output,
    stderr: "",
    async up() {
      if (child) return;
      const pidFile = path.join(dir, "rsyslogd.pid");
      rmSync(pidFile, { force: true });
      child = spawn(RSYSLOGD, ["-n", "-f", conf, "-i", pidFile], { stdio: ["ignore", "ignore", "pipe"] });
      child.stderr!.on("data", (c: Buffer) => (rsyslog.stderr += c.toString()));
      const started = child;
      started.once("exit", () => {
        if (child === started) child = null;
      });
      await waitFor(listening, 15_000, `rsyslogd to listen on ${port} (${rsyslog.stderr})`);
    },
    async down() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once("exit", resolve));
      c.kill("SIGTERM");
      await exited;
    },
    lines(): string[] {
      return existsSync(output) ? readFileSync(output, "utf8").split("\n").filter(Boolean) : [];
    },
    async close() {
      await rsyslog.down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await rsyslog.up();
  return rsyslog;
}

/** The parts of an RFC 5424 message, with its structured data's parameters unescaped. */
export function parseRfc5424(line: string) {
  const header = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(line);
  if (!header) throw new Error(`not RFC 5424: ${line.slice(0, 120)}`);
  const part = (index: number, name: string) => required(header[index], `the ${name} of ${line.slice(0, 120)}`);
  let i = header[0].length;
  if (line[i] !== "[") throw new Error("no structured data");
  const sdId = /^\[([^ \]=]+)/.exec(line.slice(i))?.[1];
  if (sdId === undefined) throw new Error("no structured data id");
  i += sdId.length + 1;
  const params: Record<string, string> = {};
  while (line[i] === " ") {
    const eq = line.indexOf('="', i);
    const name = line.slice(i + 1, eq);
    let j = eq + 2;
    let value = "";
    while (line[j] !== '"') {
      if (line[j] === "\\" && ['"', "\\", "]"].includes(line[j + 1]!)) j++;
      value += line[j];
      j++;
    }
    params[name] = value;
    i = j + 1;
  }
  if (line[i] !== "]") throw new Error("structured data not closed");
  const pri = Number(part(1, "priority"));
  return {
    pri,
    facility: Math.floor(pri / 8),
    severity: pri % 8,
    timestamp: part(2, "timestamp"),
    hostname: part(3, "hostname"),
    appName: part(4, "app name"),
    procId: part(5, "process id"),
    msgId: part(6, "message id"),
    sdId,
    params,
    message: JSON.parse(line.slice(i + 2)) as Record<string, unknown>,
  };
}

/** Reads octet-counted frames (RFC 6587 section 3.4.1) from a byte stream. */
export function octetFrameReader(onMessage: (message: string) => void) {
  let buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const space = buffer.indexOf(0x20);
      if (space < 0) return;
      const length = Number(buffer.subarray(0, space).toString("ascii"));
      if (!Number.isInteger(length) || length <= 0) throw new Error("not an octet-counted frame");
      if (buffer.length < space + 1 + length) return;
      onMessage(buffer.subarray(space + 1, space + 1 + length).toString("utf8"));
      buffer = buffer.subarray(space + 1 + length);
    }
  };
}

/**
 * A syslog receiver over TLS with a self-signed certificate made by openssl for 127.0.0.1; `ca`
 * is that certificate, for the destination to trust.
 */
export async function startTlsSyslogReceiver() {
  const { execFileSync } = await import("node:child_process");
  const tls = await import("node:tls");
  const dir = mkdtempSync(path.join(os.tmpdir(), "syslog-tls-"));
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=syslog.test",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  const messages: string[] = [];
  const server = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
    const read = octetFrameReader((m) => messages.push(m));
    socket.on("data", read);
    socket.on("end", () => socket.end());
    socket.on("error", () => {});
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    ca: readFileSync(cert, "utf8"),
    messages,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
