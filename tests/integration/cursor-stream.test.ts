import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCursorStream, type CursorStreamOptions } from "@/db/cursor-stream";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/*
 * The cursor stream on its own, without CSV or the log: any query's rows as bytes, pulled batch
 * by batch, failing (never closing) when rows are lost, and giving its connection back however
 * the reader leaves.
 */

const APP = "cursor-stream-test";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe("the cursor stream", () => {
  let testDb: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    sql = postgres(testDb.url, { max: 2, onnotice: () => {}, connection: { application_name: APP } });
  });
  afterAll(async () => {
    await sql.end({ timeout: 5 });
    await testDb.drop();
  });

  const numbers = (options: Partial<CursorStreamOptions> & { upTo?: number } = {}) =>
    createCursorStream({
      sql,
      begin: (tx) => tx`select set_config('app.cursor_stream_test', 'on', true)`,
      query: {
        sql: "select n, current_setting('app.cursor_stream_test') as scoped from generate_series(1, $1::int) n",
        params: [options.upTo ?? 250],
      },
      batchSize: 100,
      head: encoder.encode("head\n"),
      format: (rows) => encoder.encode(rows.map((r) => `${r[0]}:${r[1]}\n`).join("")),
      ...options,
    });

  async function readAll(stream: ReadableStream<Uint8Array>): Promise<string[]> {
    const chunks: string[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(decoder.decode(value));
    }
  }

  const busy = () => testDb.admin<Array<{ state: string }>>`
    select state from pg_stat_activity where datname = current_database() and application_name = ${APP} and state <> 'idle'`;

  async function expectIdle() {
    await expect.poll(async () => (await busy()).length, { timeout: 3000 }).toBe(0);
  }

  it("sends the head, then one chunk per batch, in the query's order, inside the begun transaction", async () => {
    let settled: { rows: number; error?: unknown } | undefined;
    const chunks = await readAll(numbers({ onSettled: (result) => (settled = result) }));
    expect(chunks[0]).toBe("head\n");
    expect(chunks.slice(1).map((c) => c.split("\n").length - 1)).toEqual([100, 100, 50]);
    const lines = chunks.slice(1).join("").trim().split("\n");
    expect(lines[0]).toBe("1:on");
    expect(lines.at(-1)).toBe("250:on");
    expect(settled).toEqual({ rows: 250 });
    await expectIdle();
  });

  it("fetches no further than the reader asks (one batch ahead)", async () => {
    let formatted = 0;
    const stream = numbers({
      upTo: 10_000,
      format: (rows) => {
        formatted += rows.length;
        return encoder.encode(String(rows.length));
      },
    });
    const reader = stream.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("head\n");
    expect(decoder.decode((await reader.read()).value)).toBe("100");
    expect(formatted).toBeLessThanOrEqual(200);
    await reader.cancel();
    expect(formatted).toBeLessThanOrEqual(200);
    await expectIdle();
  });

  it("errors, never closes, when the query fails after rows went out", async () => {
    let settled: { rows: number; error?: unknown } | undefined;
    const stream = numbers({
      query: { sql: "select 1 / (300 - n) from generate_series(1, 400) n", params: [] },
      onSettled: (result) => (settled = result),
    });
    await expect(readAll(stream)).rejects.toThrow(/division by zero/);
    expect(settled?.rows).toBe(200);
    expect(settled?.error).toBeDefined();
    await expectIdle();
  });

  it("stops the query and errors the stream when the request's signal aborts", async () => {
    const abort = new AbortController();
    const reader = numbers({ upTo: 100_000, signal: abort.signal }).getReader();
    await reader.read();
    await reader.read();
    abort.abort(new Error("client went away"));
    await expect(reader.read()).rejects.toThrow("client went away");
    await expectIdle();
  });

  it("refuses a batch size that is not a positive integer before any query", () => {
    expect(() => numbers({ batchSize: 0 })).toThrow(RangeError);
    expect(() => numbers({ batchSize: 1.5 })).toThrow(RangeError);
  });
});
