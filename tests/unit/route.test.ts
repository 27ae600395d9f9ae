import { describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

describe("a route", () => {
  const request = new Request("http://localhost/api/x");

  it("hands the handler the request and its resolved path parameters", async () => {
    const handler = vi.fn(async (_request: Request, params: { id: string }) => Response.json(params));
    const response = await route(handler)(request, { params: Promise.resolve({ id: "abc" }) });
    expect(await response.json()).toEqual({ id: "abc" });
    expect(handler).toHaveBeenCalledWith(request, { id: "abc" });
  });

  it("gives static routes empty parameters", async () => {
    const response = await route(async (_request: Request, params) => Response.json(params))(request);
    expect(await response.json()).toEqual({});
  });

  it("maps typed errors to their status, code and message, as they are", async () => {
    for (const [code, status] of [
      ["unauthorized", 401],
      ["forbidden", 403],
      ["not_found", 404],
      ["bad_request", 400],
    ] as const) {
      const response = await route(async (_request: Request) => {
        throw new AppError(code, `said ${code}`);
      })(request);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: `said ${code}` } });
    }
  });

  it("answers a bug with a 500 that tells nothing of it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await route(async (_request: Request) => {
      throw new Error("secret internals");
    })(request);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret internals");
    error.mockRestore();
  });
});
