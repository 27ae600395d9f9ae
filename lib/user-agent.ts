import Bowser from "bowser";

/** "Chrome 156 · Linux" for a session list; the raw string when it names nothing known. */
export function browserLabel(userAgent: string | null): string | undefined {
  if (!userAgent) return undefined;
  const { browser, os } = Bowser.parse(userAgent);
  const name = [browser.name, browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const system = os.name ?? "";
  const label = [name, system].filter(Boolean).join(" · ");
  return label || userAgent;
}
