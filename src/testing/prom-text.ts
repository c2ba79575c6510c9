// A Prometheus text-format (0.0.4) parser and checker for the tests: what a scraper reads, and the
// rules it and Prometheus's naming conventions expect. Small on purpose: only what the tests need.

export interface Sample {
  /** The series' name, e.g. supportdesk_http_request_duration_seconds_bucket. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function parseValue(raw: string): number {
  if (raw === "+Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  // Prometheus reads these as Go's ParseFloat does: case-insensitive (prom-client writes "Nan").
  if (/^nan$/i.test(raw)) return NaN;
  const value = Number(raw);
  if (raw.trim() === "" || Number.isNaN(value)) throw new Error(`not a sample value: ${raw}`);
  return value;
}

function parseLabels(raw: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!raw) return labels;
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < raw.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(raw);
    if (!match) throw new Error(`bad labels at ${at}: {${raw}}`);
    const [, key, escaped] = match as unknown as [string, string, string];
    if (key in labels) throw new Error(`label ${key} twice: {${raw}}`);
    labels[key] = escaped.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

/** The family a sample belongs to: histograms' and summaries' series carry a suffix. */
function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  const exact = families.get(sample);
  if (exact) return exact;
  const suffix = /_(bucket|sum|count)$/.exec(sample);
  if (!suffix) return undefined;
  const family = families.get(sample.slice(0, -suffix[0].length));
  if (family?.type === "histogram" || (family?.type === "summary" && suffix[1] !== "bucket")) return family;
  return undefined;
}

/** Parses an exposition; throws on anything a scraper would reject (or that this parser does not know). */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, "HELP" | "TYPE", string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name: ${name}`);
      if (kind === "HELP") helps.set(name, rest);
      else {
        if (families.has(name)) throw new Error(`TYPE twice for ${name}`);
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) throw new Error(`unknown type ${rest} for ${name}`);
        families.set(name, { name, type: rest, help: helps.get(name) ?? "", samples: [] });
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, labels, value] = match as unknown as [string, string, string | undefined, string];
    const family = familyOf(families, name);
    if (!family) throw new Error(`sample ${name} has no TYPE before it`);
    family.samples.push({ name, labels: parseLabels(labels), value: parseValue(value) });
  }
  for (const family of families.values()) family.help ||= helps.get(family.name) ?? "";
  return families;
}

const seriesKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).filter(([k]) => k !== "le").sort(([a], [b]) => (a < b ? -1 : 1)));

/** A histogram's rules: per series, `le` ascending to +Inf, counts cumulative, +Inf equal to _count, a _sum. */
function histogramProblems(family: Family): string[] {
  const problems: string[] = [];
  const series = new Map<string, { buckets: Sample[]; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const entry = series.get(seriesKey(sample.labels)) ?? { buckets: [] };
    series.set(seriesKey(sample.labels), entry);
    if (sample.name.endsWith("_bucket")) entry.buckets.push(sample);
    else if (sample.name.endsWith("_count")) entry.count = sample.value;
    else if (sample.name.endsWith("_sum")) entry.sum = sample.value;
  }
  for (const [labels, { buckets, count, sum }] of series) {
    const where = `${family.name}${labels}`;
    const bounds = buckets.map((b) => (b.labels.le === "+Inf" ? Infinity : Number(b.labels.le)));
    if (!buckets.length || bounds.at(-1) !== Infinity) problems.push(`${where}: no +Inf bucket last`);
    if (bounds.some((b, i) => Number.isNaN(b) || (i > 0 && b <= bounds[i - 1]!))) problems.push(`${where}: le not ascending`);
    if (buckets.some((b, i) => i > 0 && b.value < buckets[i - 1]!.value)) problems.push(`${where}: buckets not cumulative`);
    if (count === undefined || buckets.at(-1)?.value !== count) problems.push(`${where}: +Inf bucket is not _count`);
    if (sum === undefined) problems.push(`${where}: no _sum`);
  }
  return problems;
}

/** prom-client's default metrics name these gauges so (as Node's own reports do); not ours to rename. */
const LIBRARY_GAUGES_IN_TOTAL = new Set(["active_resources", "active_handles", "active_requests"].map((n) => `supportdesk_nodejs_${n}_total`));

/** What breaks the format's rules or Prometheus's naming conventions, one line each; empty when all is well. */
export function expositionProblems(families: Map<string, Family>): string[] {
  const problems: string[] = [];
  for (const family of families.values()) {
    const { name, type } = family;
    if (!/^supportdesk_[a-z][a-z0-9_]*[a-z0-9]$/.test(name)) problems.push(`${name}: not supportdesk_ and snake case`);
    if (!family.help.trim()) problems.push(`${name}: no HELP`);
    if (type === "counter" && !name.endsWith("_total")) problems.push(`${name}: a counter's name ends in _total`);
    if (type !== "counter" && name.endsWith("_total") && !LIBRARY_GAUGES_IN_TOTAL.has(name)) problems.push(`${name}: only counters end in _total`);
    if (/_(ms|milliseconds|minutes|hours|kb|mb|percent)(_|$)/.test(name)) problems.push(`${name}: not in base units`);
    if (/duration|latency|_time_|_wait|_age|_lag/.test(name) && !/_seconds(_total)?$/.test(name)) problems.push(`${name}: a time in _seconds`);
    for (const sample of family.samples) {
      for (const label of Object.keys(sample.labels)) {
        if (!/^[a-z][a-z0-9_]*$/.test(label)) problems.push(`${name}: label ${label} not snake case`);
      }
    }
    if (type === "histogram") problems.push(...histogramProblems(family));
  }
  return problems;
}

/** The value of one series, e.g. sample(families, "supportdesk_jobs", { status: "pending" }); undefined when absent. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(families, name);
  const wanted = Object.entries(labels);
  return family?.samples.find((s) => s.name === name && wanted.every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === wanted.length)
    ?.value;
}
