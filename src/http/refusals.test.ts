import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { silentLogger } from "../log/logger.ts";
import { errorHandler } from "./error-handler.tsx";
import { Refusal } from "./refusal.ts";

// A refusal thrown by a handler is answered by the one error handler, with its status: where
// htmx asked, as an alert in place; for a browser, as the error page; for the API, as JSON.
describe("refusals are answered centrally", () => {
  class Taken extends Refusal {
    constructor() {
      super(409, "taken", "Ana <Admin> already took this.");
    }
  }
  class SaidInPlace extends Refusal {
    constructor() {
      super(409, "taken", "Ana already took this conversation.");
      this.alert = "Already taken by Ana";
    }
  }
  class Limited extends Refusal {
    constructor() {
      super(429, "rate_limited", "Too many. Try again in 7 s.", 7);
    }
  }
  const app = new Elysia()
    .use(errorHandler(silentLogger))
    .post("/taken", () => {
      throw new Taken();
    })
    .post("/in-place", () => {
      throw new SaidInPlace();
    })
    .post("/limited", () => {
      throw new Limited();
    });
  const post = (path: string, headers: Record<string, string> = {}) => app.handle(new Request(`http://localhost${path}`, { method: "POST", headers }));

  test("htmx gets the reason as an alert to put where the result would have gone", async () => {
    const res = await post("/taken", { "hx-request": "true" });
    expect(res.status).toBe(409);
    expect(await res.text()).toBe('<p class="alert" role="alert">Ana &lt;Admin&gt; already took this.</p>');
  });

  test("a browser without htmx gets the error page; the API gets the code and message", async () => {
    const page = await post("/taken");
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("Ana &lt;Admin&gt; already took this.");
    const json = await post("/taken", { accept: "application/json" });
    expect(json.status).toBe(409);
    expect(await json.json()).toEqual({ error: { code: "taken", message: "Ana <Admin> already took this." } });
  });

  test("a refusal of a part of a page is said in place, in its own words, with or without htmx", async () => {
    for (const headers of [{}, { "hx-request": "true" }] as Record<string, string>[]) {
      const res = await post("/in-place", headers);
      expect(res.status).toBe(409);
      expect(await res.text()).toBe('<p class="alert" role="alert">Already taken by Ana</p>');
    }
  });

  test("a refusal to come back later says when, in place too", async () => {
    const res = await post("/limited", { "hx-request": "true" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.text()).toBe('<p class="alert" role="alert">Too many. Try again in 7 s.</p>');
  });
});
