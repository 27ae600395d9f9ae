import { randomBytes } from "node:crypto";
import net from "node:net";
import { required } from "./present";

/*
 * A full garbage collection in another Node process, through its inspector, so that a memory
 * measurement compares live memory rather than wherever V8's sawtooth happens to be (measured on
 * the app serving exports: RSS climbs ~30 MiB per 20 MB export and drops ~120 MiB at each major
 * GC, so two unforced readings can differ by more than any leak worth catching).
 *
 * The process must have been started with `--inspect-port=127.0.0.1:<port>` (allowed in
 * NODE_OPTIONS; it opens nothing by itself). SIGUSR1 makes Node open the inspector on that port;
 * one Chrome DevTools Protocol call, HeapProfiler.collectGarbage, runs the collection (and one
 * Runtime.evaluate reads process.memoryUsage()). Node 20 has no WebSocket client, and the protocol
 * needs only a handshake and a few frames: written here.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function debuggerPath(port: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
        webSocketDebuggerUrl: string;
      }>;
      return new URL(required(targets[0], "a debugging target").webSocketDebuggerUrl).pathname;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no inspector on port ${port}: ${String(error)}`);
      await sleep(100);
    }
  }
}

/** One masked text frame (clients must mask). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask.readUInt8(i % 4)));
  return Buffer.concat([header, mask, masked]);
}

/** Complete unmasked frames at the start of `buffer` (the server never masks), and what is left. */
function readFrames(buffer: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    let length = buffer.readUInt8(offset + 1) & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      start = offset + 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      start = offset + 10;
    }
    if (buffer.length < start + length) break;
    if ((buffer.readUInt8(offset) & 0x0f) === 0x1) texts.push(buffer.subarray(start, start + length).toString("utf8"));
    offset = start + length;
  }
  return { texts, rest: buffer.subarray(offset) };
}

/** Opens the inspector of `pid` (if not open yet) and runs a full garbage collection in it. */
export async function collectGarbage(pid: number, port: number): Promise<void> {
  await inspect(pid, port, "HeapProfiler.collectGarbage", {});
}

/** process.memoryUsage() of `pid`, read through its inspector (for diagnostics). */
export async function memoryUsage(pid: number, port: number): Promise<NodeJS.MemoryUsage> {
  const result = (await inspect(pid, port, "Runtime.evaluate", {
    expression: "JSON.stringify(process.memoryUsage())",
    returnByValue: true,
  })) as {
    result: { value: string };
  };
  return JSON.parse(result.result.value) as NodeJS.MemoryUsage;
}

/** One Chrome DevTools Protocol call in the process `pid`, through its inspector (opened with SIGUSR1). */
async function inspect(pid: number, port: number, method: string, params: object): Promise<unknown> {
  process.kill(pid, "SIGUSR1");
  const path = await debuggerPath(port);
  const socket = net.connect(port, "127.0.0.1");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const key = randomBytes(16).toString("base64");
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    return await new Promise<unknown>((resolve, reject) => {
      let pending: Buffer = Buffer.alloc(0);
      let upgraded = false;
      const timer = setTimeout(() => reject(new Error("the inspector did not answer within 30 s")), 30_000);
      const done = (error?: Error, result?: unknown) => {
        clearTimeout(timer);
        socket.removeAllListeners("data");
        if (error) reject(error);
        else resolve(result);
      };
      socket.on("error", done);
      socket.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        if (!upgraded) {
          const end = pending.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = pending.subarray(0, end).toString("latin1");
          if (!/^HTTP\/1\.1 101/.test(head))
            return done(new Error(`inspector refused the upgrade: ${head.split("\r\n")[0]}`));
          upgraded = true;
          pending = pending.subarray(end + 4);
          socket.write(textFrame(JSON.stringify({ id: 1, method, params })));
        }
        const { texts, rest } = readFrames(pending);
        pending = rest;
        for (const text of texts) {
          const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
          if (message.id === 1)
            return done(message.error ? new Error(message.error.message) : undefined, message.result);
        }
      });
    });
  } finally {
    socket.destroy();
  }
}
