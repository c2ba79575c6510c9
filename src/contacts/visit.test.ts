import { describe, expect, test } from "bun:test";
import { browserOf, MAX_PAGE_URL, pageUrl } from "./visit.ts";

describe("the page a customer is on", () => {
  const byDefault = { keepPageQuery: false };
  const keepingQuery = { keepPageQuery: true };

  test("by default an http(s) address is kept without its query string, fragment and credentials", () => {
    expect(pageUrl("https://shop.example/cart?token=s3cret&step=2#access_token=abc", byDefault)).toBe("https://shop.example/cart");
    expect(pageUrl("https://kim:hunter2@shop.example/account?session=1", byDefault)).toBe("https://shop.example/account");
    expect(pageUrl("http://localhost:3112/", byDefault)).toBe("http://localhost:3112/");
  });

  test("an inbox that keeps query strings gets the query, never the fragment or credentials", () => {
    expect(pageUrl("https://shop.example/cart?step=2#pay", keepingQuery)).toBe("https://shop.example/cart?step=2");
    expect(pageUrl("https://kim:hunter2@shop.example/?q=shoes#top", keepingQuery)).toBe("https://shop.example/?q=shoes");
  });

  test("anything else is not a page: scripts, data, garbage, other types", () => {
    for (const bad of ["javascript:alert(1)", "data:text/html,<b>x</b>", "not a url", "", null, 42, { href: "https://x.example" }]) {
      expect(pageUrl(bad, keepingQuery)).toBeNull();
      expect(pageUrl(bad, byDefault)).toBeNull();
    }
  });

  test("a very long address is cut, not refused", () => {
    expect(pageUrl(`https://shop.example/?q=${"x".repeat(5000)}`, keepingQuery)!.length).toBe(MAX_PAGE_URL);
    expect(pageUrl(`https://shop.example/${"x".repeat(5000)}`, byDefault)!.length).toBe(MAX_PAGE_URL);
  });
});

describe("the customer's browser", () => {
  test("named with its major version and system", () => {
    expect(browserOf("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36")).toBe("Chrome 142 on Linux");
    expect(browserOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")).toBe("Firefox 133 on Windows 10");
    expect(
      browserOf("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    ).toBe("Safari 17.4 on iOS 17.4");
  });

  test("a User-Agent that names no browser gives nothing", () => {
    expect(browserOf("curl/8.0")).toBeNull();
    expect(browserOf("")).toBeNull();
    expect(browserOf(null)).toBeNull();
  });
});
