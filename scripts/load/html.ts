/*
 * What a browsing user reads off the pages the server rendered: the "Older" link (the cursor),
 * the rows (id and time, from the table's server-rendered props), the action filter's choices,
 * and the customers' links. Plain regular expressions over the HTML, as the markup is ours and
 * stable; a page that lacks what a step needs is reported as an error of that step.
 */
import { leadingItems } from "@/lib/leading-items";

const decodeHtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** The href of the pagination link with rel="next" ("Older"), if the page has one. */
export function nextPageHref(html: string): string | null {
  for (const tag of html.matchAll(/<a\b[^>]*>/g)) {
    if (!/\brel="next"/.test(tag[0])) continue;
    const href = /\bhref="([^"]+)"/.exec(tag[0])?.[1];
    if (href) return decodeHtml(href);
  }
  return null;
}

export interface RowRef {
  id: number;
  occurredAt: string;
}

/**
 * The rows of the page, from the table's props in the React Server Components payload (the table
 * is a client component: its rows travel as JSON inside a script string, quotes escaped).
 */
export function rowRefs(html: string): RowRef[] {
  const rows: RowRef[] = [];
  for (const m of html.matchAll(/\\"id\\":(\d+),\\"occurredAt\\":\\"([^"\\]+)\\"/g)) {
    const [id, occurredAt] = leadingItems(m.slice(1), 2, "A row of the page");
    rows.push({ id: Number(id), occurredAt });
  }
  return rows;
}

/**
 * The values of a list of checkboxes (the filters' multi-selects: a <details id=...> holding one
 * checkbox named `name` per choice). (A <select> parser would read on to the next <select>'s options.)
 */
export function checkboxValues(html: string, id: string, name: string): string[] {
  const start = html.indexOf(`<details id="${id}"`);
  if (start < 0) return [];
  const end = html.indexOf("</details>", start);
  const body = html.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/<input\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\btype="checkbox"/.test(tag) && tag.includes(` name="${name}"`))
    .map((tag) => /\bvalue="([^"]*)"/.exec(tag)?.[1])
    .filter((v): v is string => v !== undefined && v !== "")
    .map(decodeHtml);
}

export interface CustomerRef {
  id: string;
  name: string;
}

/** The customers linked from a page (the Customers list links every one to its subscriptions). */
export function customerLinks(html: string): CustomerRef[] {
  const seen = new Map<string, string>();
  for (const m of html.matchAll(/href="\/customers\/([0-9a-f-]{36})\/subscriptions"[^>]*>([^<]*)</g)) {
    const [id, name] = leadingItems(m.slice(1), 2, "A customer link");
    if (!seen.has(id)) seen.set(id, decodeHtml(name).trim());
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

export const hasTestId = (html: string, testId: string) => html.includes(`data-testid="${testId}"`);
