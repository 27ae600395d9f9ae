import { Agent, fetch } from "undici";
import { assertLiteralAllowed, checkedLookup, privateNetworksPolicy, type PrivateNetworks } from "./address-policy";
import { DeliveryError, describeNetworkError } from "./types";

/** One connection pool per policy, whose every connection goes through the address check. */
const agents = new Map<PrivateNetworks, Agent>();
function agentFor(policy: PrivateNetworks): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = new Agent({ connect: { lookup: checkedLookup(policy) } });
    agents.set(policy, agent);
  }
  return agent;
}

/** Retry-After as milliseconds (seconds or an HTTP date), capped at an hour. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 3_600_000) : undefined;
}

/**
 * POSTs a body and treats any 2xx as the receiver's acknowledgement. Redirects are refused, not
 * followed: the signed request or token would otherwise go to a host nobody configured.
 */
export async function postOrThrow(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
  describeBody: (status: number, text: string) => string = (_s, text) => text,
): Promise<void> {
  const where = new URL(url).host;
  const policy = privateNetworksPolicy();
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    assertLiteralAllowed(new URL(url).hostname, policy); // an IP literal is connected to without a lookup
    response = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: agentFor(policy),
    });
  } catch (error) {
    throw new DeliveryError(describeNetworkError(error, where, timeoutMs));
  }
  let text = "";
  try {
    text = (await response.text()).slice(0, 300);
  } catch {
    // The status is what counts; a body that fails to arrive changes nothing.
  }
  if (response.status >= 200 && response.status < 300) return;
  const detail = describeBody(response.status, text.replace(/\s+/g, " ").trim());
  const said = `${where} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status === 410)
    throw new DeliveryError(`${said}: the receiver no longer accepts events`, { gone: true });
  if (response.status >= 300 && response.status < 400)
    throw new DeliveryError(`${said}: redirects are not followed; enter the final URL`);
  throw new DeliveryError(detail ? `${said}: ${detail}` : said, {
    retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
    status: response.status,
  });
}
