import { describe, expect, test } from "bun:test";
import { ipKey } from "./ip-key.ts";

describe("the key per-IP limits count an address under", () => {
  test("IPv4 addresses count one by one", () => {
    expect(ipKey("198.51.100.7")).toBe("198.51.100.7");
    expect(ipKey("198.51.100.8")).not.toBe(ipKey("198.51.100.7"));
  });

  test("IPv6 addresses in one /64 share a key, however they are written", () => {
    const key = ipKey("2001:db8:aa:bb::1");
    expect(key).toBe("2001:db8:aa:bb::/64");
    for (const sameNetwork of ["2001:db8:aa:bb:ffff:ffff:ffff:ffff", "2001:DB8:AA:BB:0:0:0:2", "2001:0db8:00aa:00bb::abcd", "2001:db8:aa:bb::"]) {
      expect(ipKey(sameNetwork)).toBe(key);
    }
  });

  test("an IPv6 address in another /64 has another key", () => {
    expect(ipKey("2001:db8:aa:bc::1")).not.toBe(ipKey("2001:db8:aa:bb::1"));
    expect(ipKey("2001:db8:ab:bb::1")).not.toBe(ipKey("2001:db8:aa:bb::1"));
  });

  test("the groups are read right wherever the :: is", () => {
    expect(ipKey("::1")).toBe("0:0:0:0::/64");
    expect(ipKey("1::")).toBe("1:0:0:0::/64");
    expect(ipKey("::2:3:4:5:6:7:8")).toBe("0:2:3:4::/64");
    expect(ipKey("1:2:3:4:5:6:7::")).toBe("1:2:3:4::/64");
    expect(ipKey("1:2:3::8")).toBe("1:2:3:0::/64");
  });

  test("an IPv4-mapped IPv6 address counts as its IPv4 address", () => {
    expect(ipKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(ipKey("::FFFF:c633:6407")).toBe("198.51.100.7");
    expect(ipKey("0:0:0:0:0:ffff:198.51.100.7")).toBe("198.51.100.7");
    // Not mapped: the /96 differs.
    expect(ipKey("::fffe:198.51.100.7")).toBe("0:0:0:0::/64");
  });

  test("a port written with the address (some proxies do) is not part of it", () => {
    expect(ipKey("198.51.100.7:5678")).toBe("198.51.100.7");
    expect(ipKey("198.51.100.7:80")).toBe(ipKey("198.51.100.7:5679"));
    expect(ipKey("[2001:db8:aa:bb::1]:443")).toBe("2001:db8:aa:bb::/64");
    expect(ipKey("[::ffff:198.51.100.7]:1")).toBe("198.51.100.7");
  });

  test("a zone is not part of the address; what is not an address is kept as it is", () => {
    expect(ipKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(ipKey(" 198.51.100.7 ")).toBe("198.51.100.7");
    expect(ipKey("unknown")).toBe("unknown");
  });
});
