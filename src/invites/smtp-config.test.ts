import { describe, expect, test } from "bun:test";
import { ConfigError, parseConfig } from "../config.ts";

describe("SMTP_URL and MAIL_FROM", () => {
  test("unset: no email, links are shown instead", () => {
    expect(parseConfig({}).smtp).toBeNull();
    expect(parseConfig({ MAIL_FROM: "a@example.com" }).smtp).toBeNull();
  });

  test("smtp:// and smtps:// with a default sender at PUBLIC_URL's host", () => {
    expect(parseConfig({ SMTP_URL: "smtp://u:p@mail.example.com:587", PUBLIC_URL: "https://support.example.com" }).smtp).toEqual({
      url: "smtp://u:p@mail.example.com:587",
      from: "SupportDesk <no-reply@support.example.com>",
    });
    expect(parseConfig({ SMTP_URL: "smtps://mail.example.com", MAIL_FROM: "Help <help@example.com>" }).smtp?.from).toBe("Help <help@example.com>");
  });

  test("a bad value names the variable and never echoes the SMTP password", () => {
    expect(() => parseConfig({ SMTP_URL: "http://u:hunter2@mail.example.com" })).toThrow(ConfigError);
    try {
      parseConfig({ SMTP_URL: "http://u:hunter2@mail.example.com" });
    } catch (err) {
      expect((err as Error).message).toStartWith("SMTP_URL must");
      expect((err as Error).message).not.toContain("hunter2");
    }
    expect(() => parseConfig({ SMTP_URL: "not a url hunter2" })).toThrow(/^SMTP_URL must/);
    expect(() => parseConfig({ SMTP_URL: "smtp://mail.example.com", MAIL_FROM: "nobody" })).toThrow(/^MAIL_FROM must/);
  });
});
