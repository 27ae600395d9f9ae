import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * Every word a component shows comes from the message catalogs (messages/*.json). This test parses
 * every .tsx under app/ and components/ with the TypeScript compiler and fails on:
 * - JSX text holding a letter of any script (Latin, Hangul, ...): `<h1>Activity log</h1>`;
 * - a string or template literal rendered as a JSX child: `{"Sign in"}`, `{ok ? "Yes" : t("no")}`;
 * - the same in a user-visible attribute (`aria-label="..."`, `title`, `placeholder`, `alt`, ...),
 *   or in a user-visible prop of our own components and column definitions (`label`, `header`, ...).
 * Strings without letters ("—", "·", " / ", "#") are not words and pass. Strings passed to a call
 * (`t("activityLog.title")`) are catalog keys, not text, and pass.
 */

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["app", "components"];

/** Attributes and props whose value a user reads or hears. */
const USER_VISIBLE = new Set([
  "aria-label",
  "aria-description",
  "aria-roledescription",
  "aria-valuetext",
  "aria-placeholder",
  "title",
  "placeholder",
  "alt",
  // Props of our own components and TanStack column definitions that end up on screen.
  "label",
  "header",
  "caption",
  "heading",
  "description",
  "message",
  "pendingText",
]);

/**
 * Explicit exceptions: `file` (relative to the repo) and the exact literal text. Keep it short and
 * say why; a brand or product name that must never be translated would go here. Empty today: the
 * product name and the language names ("English", "한국어") are in the catalogs too.
 */
const ALLOWLIST: Array<{ file: string; text: string; why: string }> = [];

const HAS_LETTER = /\p{L}/u;

interface Finding {
  file: string;
  line: number;
  kind: string;
  text: string;
}

/** The literal text an expression renders as is (not strings handed to calls or used as keys). */
function renderedLiterals(expression: ts.Expression): Array<{ node: ts.Node; text: string }> {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression))
    return [{ node: expression, text: expression.text }];
  if (ts.isTemplateExpression(expression)) {
    return [
      {
        node: expression,
        text: [expression.head.text, ...expression.templateSpans.map((s) => s.literal.text)].join(" "),
      },
    ];
  }
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isNonNullExpression(expression)) {
    return renderedLiterals(expression.expression);
  }
  if (ts.isConditionalExpression(expression))
    return [...renderedLiterals(expression.whenTrue), ...renderedLiterals(expression.whenFalse)];
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return renderedLiterals(expression.right);
    if (
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.PlusToken
    ) {
      return [...renderedLiterals(expression.left), ...renderedLiterals(expression.right)];
    }
  }
  // A column header or cell written as a function: what it returns is rendered.
  if ((ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) && !ts.isBlock(expression.body)) {
    return renderedLiterals(expression.body);
  }
  return [];
}

export function findLiteralStrings(file: string, source: string): Finding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const report = (node: ts.Node, kind: string, text: string) => {
    const normalised = text.replace(/\s+/g, " ").trim();
    if (!HAS_LETTER.test(normalised)) return;
    if (ALLOWLIST.some((a) => a.file === file && a.text === normalised)) return;
    findings.push({
      file,
      line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
      kind,
      text: normalised,
    });
  };
  const propName = (name: ts.Node) =>
    ts.isIdentifier(name) || ts.isStringLiteral(name)
      ? name.text
      : ts.isJsxNamespacedName(name)
        ? `${name.namespace.text}:${name.name.text}`
        : "";

  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      report(node, "JSX text", node.text);
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      for (const literal of renderedLiterals(node.expression)) report(literal.node, "JSX child literal", literal.text);
    } else if (ts.isJsxAttribute(node) && USER_VISIBLE.has(propName(node.name))) {
      const name = propName(node.name);
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) report(init, `${name}=`, init.text);
      else if (init && ts.isJsxExpression(init) && init.expression) {
        for (const literal of renderedLiterals(init.expression)) report(literal.node, `${name}=`, literal.text);
      }
    } else if (ts.isPropertyAssignment(node) && USER_VISIBLE.has(propName(node.name))) {
      for (const literal of renderedLiterals(node.initializer))
        report(literal.node, `${propName(node.name)}:`, literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(full);
    return entry.name.endsWith(".tsx") ? [full] : [];
  });
}

describe("no literal strings in components", () => {
  it("the checker finds what it must and passes what it must", () => {
    const source = `
      export function Sample({ ok, t }: { ok: boolean; t: (k: string) => string }) {
        const columns = [{ header: "Affected customer" }, { header: () => t("table.customer") }, { header: () => \`Date-Time (\${ok})\` }];
        return (
          <div className="text-sm" data-testid="activity-row" aria-label="Period and filters">
            <h1>Activity log</h1>
            <p>활동 로그</p>
            {"Sign in"}
            {ok ? "Yes" : t("no")}
            {ok && \`Times in \${ok}\`}
            <input placeholder={t("filters.customerPlaceholder")} title={\`Details of \${ok}\`} />
            <img alt="" src="/x.png" />
            <Field label="Action" value={String(ok)} />
            <a href="/customers" lang="en">{t("home.customers")}</a>
            <span aria-hidden="true">— · / #</span>
            {t("activityLog.title")} {columns.length}
          </div>
        );
      }`;
    const found = findLiteralStrings("sample.tsx", source).map((f) => `${f.kind} ${f.text}`);
    expect(found).toEqual([
      "header: Affected customer",
      "header: Date-Time ( )",
      "aria-label= Period and filters",
      "JSX text Activity log",
      "JSX text 활동 로그",
      "JSX child literal Sign in",
      "JSX child literal Yes",
      "JSX child literal Times in",
      "title= Details of",
      "label= Action",
    ]);
  });

  it("no .tsx under app/ or components/ renders a literal string", () => {
    const files = SCANNED.flatMap((dir) => tsxFiles(path.join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(20);
    const findings = files.flatMap((full) => findLiteralStrings(path.relative(ROOT, full), readFileSync(full, "utf8")));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.kind} ${JSON.stringify(f.text)}`)).toEqual([]);
  });

  it("keeps its allowlist small and explained", () => {
    expect(ALLOWLIST.length).toBeLessThanOrEqual(5);
    for (const entry of ALLOWLIST) expect(entry.why.length).toBeGreaterThan(10);
  });
});
