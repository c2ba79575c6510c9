// How analytics writes numbers, durations, days and instants for people (the CSV files keep raw values).

/** "—" for nothing measured; otherwise the two largest units: "42 s", "4 min 5 s", "2 h 15 min", "3 d 4 h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return pair(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return pair(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "min");
  return pair(Math.floor(s / 86_400), "d", Math.floor((s % 86_400) / 3600), "h");
}

function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
}

// Days, instants and counts are written in the account's locale by the one module for dates.
export { formatCount, formatDay as longDay, formatShortDay as shortDay, formatZonedMinute as localMinute } from "../components/dates.ts";
