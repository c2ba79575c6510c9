/** A plausible address: something@domain.tld, no spaces, within `maxLength`. Delivery is the real test. */
export function isEmailAddress(value: string, maxLength: number): boolean {
  return value.length <= maxLength && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
