import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { atPublicOrigin, publicOrigin } from "@/lib/auth/public-origin";

const at = (url: string, headers: Record<string, string>, env: Record<string, string> = {}) =>
  atPublicOrigin(new NextRequest(url, { headers }), env).url;

describe("the origin Auth.js sees", () => {
  it("is the address the browser used, 127.0.0.1 included (which NextRequest turns into localhost)", () => {
    expect(at("http://localhost:3000/api/auth/callback/commercial?code=1", { host: "127.0.0.1:3000" })).toBe(
      "http://127.0.0.1:3000/api/auth/callback/commercial?code=1",
    );
  });

  it("follows a reverse proxy's forwarded host and protocol, first value of a chain", () => {
    expect(
      at("http://localhost:3000/api/auth/signin", {
        host: "localhost:3000",
        "x-forwarded-host": "portal.example.com, internal:8080",
        "x-forwarded-proto": "https",
      }),
    ).toBe("https://portal.example.com/api/auth/signin");
  });

  it("is left to Auth.js when AUTH_URL names the canonical address", () => {
    expect(
      at("http://localhost:3000/api/auth/signin", { host: "evil.example" }, { AUTH_URL: "https://a.example" }),
    ).toBe("http://localhost:3000/api/auth/signin");
  });

  it("ignores hosts and protocols that name no origin", () => {
    expect(publicOrigin(new Headers({ host: "a.example/path" }), "http:")).toBeUndefined();
    expect(publicOrigin(new Headers({ host: "user@a.example" }), "http:")).toBeUndefined();
    expect(
      publicOrigin(new Headers({ host: "a.example", "x-forwarded-proto": "javascript" }), "http:"),
    ).toBeUndefined();
    expect(publicOrigin(new Headers({}), "http:")).toBeUndefined();
  });

  it("keeps the method and body of a POST", async () => {
    const request = atPublicOrigin(
      new NextRequest("http://localhost:3000/api/auth/signout", {
        method: "POST",
        headers: { host: "127.0.0.1:3000", "content-type": "application/x-www-form-urlencoded" },
        body: "csrfToken=abc",
      }),
      {},
    );
    expect(request.method).toBe("POST");
    expect(await request.text()).toBe("csrfToken=abc");
  });
});
