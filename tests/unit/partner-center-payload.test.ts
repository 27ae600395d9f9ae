import { describe, expect, it } from "vitest";
import { parsePayloadText, readAuditRecords } from "@/lib/partner-center/payload";

/* The shapes Partner Center's records arrive in, read whole (the route) and streamed (the CLI). */

const rec = (i: number) => ({ id: `p_${i}`, operationType: "create_order", nested: { a: [1, "ü", null] } });
const records = [rec(1), rec(2), rec(3)];

/** A text in awkward chunks: 7 bytes, so multi-byte characters and the BOM are split. */
async function* chunks(text: string, size = 7) {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function streamed(text: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of readAuditRecords(chunks(text))) out.push(r);
  return out;
}

const SHAPES: Array<[string, string]> = [
  ["envelope", JSON.stringify({ totalCount: 99, items: records, links: { self: { uri: "/x" } }, attributes: {} })],
  ["envelope with BOM", `\uFEFF${JSON.stringify({ totalCount: 1, items: records })}`],
  ["pretty envelope", JSON.stringify({ totalCount: 1, items: records }, null, 2)],
  ["bare array", JSON.stringify(records)],
  ["pretty array with BOM", `\uFEFF${JSON.stringify(records, null, 4)}`],
  ["one per line, CRLF", records.map((r) => JSON.stringify(r)).join("\r\n")],
  ["one per line with BOM", `\uFEFF${records.map((r) => JSON.stringify(r)).join("\n")}\n`],
  [
    "envelopes one per line",
    [records.slice(0, 2), records.slice(2)].map((items) => JSON.stringify({ items })).join("\n"),
  ],
];

describe("Partner Center payloads", () => {
  for (const [name, text] of SHAPES) {
    it(`reads ${name}, whole and streamed`, async () => {
      expect(await streamed(text)).toEqual(records);
      expect(parsePayloadText(text)).toEqual(records);
    });
  }

  it("reads pretty-printed records one after another, and a single record", async () => {
    expect(await streamed(records.map((r) => JSON.stringify(r, null, 2)).join("\n"))).toEqual(records);
    expect(await streamed(JSON.stringify(rec(1)))).toEqual([rec(1)]);
    expect(parsePayloadText(JSON.stringify(rec(1)))).toEqual([rec(1)]);
  });

  it("says what is wrong with a broken file", async () => {
    await expect(streamed("")).rejects.toThrow("The file is empty.");
    await expect(streamed('{"items": [ {"a": 1}, ')).rejects.toThrow(/ends before its JSON does/);
    await expect(streamed('{"a":1}\n{broken\n{"b":2}\n')).rejects.toThrow(/^Line 2 is not valid JSON/);
    await expect(streamed("[1, 2,, 3]")).rejects.toThrow(/not valid JSON/);
    const invalidUtf8 = async function* () {
      yield Uint8Array.from([0x5b, 0xff, 0xfe, 0x5d]);
    };
    await expect(
      (async () => {
        for await (const _ of readAuditRecords(invalidUtf8())) void _;
      })(),
    ).rejects.toThrow("The file is not valid UTF-8.");
    expect(() => parsePayloadText('{"items": "no"}')).toThrow(/must be an array/);
    expect(() => parsePayloadText("   ")).toThrow("The body is empty.");
  });
});
