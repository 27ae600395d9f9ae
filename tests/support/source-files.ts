import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The repository's root, for tests that read the source tree. */
export const ROOT = path.resolve(__dirname, "../..");

const SKIPPED_DIRS = new Set(["node_modules", "db/migrations"]);

/** The TypeScript and JavaScript files under `relative` (a folder or one file), repo-relative, POSIX. */
export function sourceFiles(relative: string): string[] {
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return /\.(?:[cm]?[jt]sx?)$/.test(relative) ? [relative] : [];
  const name = path.basename(relative);
  if (SKIPPED_DIRS.has(relative) || SKIPPED_DIRS.has(name) || name.startsWith(".next")) return [];
  return readdirSync(full).flatMap((entry) => sourceFiles(path.posix.join(relative, entry)));
}

export const readSource = (relative: string) => readFileSync(path.join(ROOT, relative), "utf8");
