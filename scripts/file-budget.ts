// Lists every source file over the line budget and fails when there is one (CI runs this from
// scripts/test-all.sh). Small files with one job each: a file that outgrows the budget is split
// by job, not cut in half. Generated migrations (drizzle/) and vendored files (public/vendor/)
// are not ours to split.
//
//   bun scripts/file-budget.ts [--allow <path>]...
//
// `--allow` names a file that may stay over budget for now; it is meant only for files another
// branch is rewriting at the time (see scripts/test-all.sh), never as a way to keep a big file.
import { join } from "node:path";

const BUDGET = 250;
const SOURCE = /\.(ts|tsx|js|mjs|sh|css)$/;
const NOT_OURS = [/^drizzle\//, /^public\/vendor\//];

function parseAllowed(args: string[]): Set<string> {
  const allowed = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const path = args[i] === "--allow" ? args[++i] : undefined;
    if (!path) {
      console.error(`file-budget: unexpected argument ${JSON.stringify(args[i])} (usage: file-budget.ts [--allow <path>]...)`);
      process.exit(2);
    }
    allowed.add(path);
  }
  return allowed;
}

/** The repository's files, tracked or new but not ignored (so a file not yet committed counts too). */
function repositoryFiles(root: string): string[] {
  const listed = Bun.spawnSync(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root });
  if (listed.exitCode !== 0) {
    console.error(`file-budget: git ls-files failed: ${listed.stderr.toString().trim()}`);
    process.exit(2);
  }
  return listed.stdout.toString().split("\0").filter(Boolean);
}

async function linesOf(path: string): Promise<number> {
  const file = Bun.file(path);
  if (!(await file.exists())) return 0; // deleted in the work tree, not yet in the index
  const text = await file.text();
  if (!text) return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

const root = join(import.meta.dir, "..");
const allowed = parseAllowed(process.argv.slice(2));
const over: { path: string; lines: number }[] = [];
for (const path of repositoryFiles(root)) {
  if (!SOURCE.test(path) || NOT_OURS.some((pattern) => pattern.test(path))) continue;
  const lines = await linesOf(join(root, path));
  if (lines > BUDGET) over.push({ path, lines });
}
over.sort((a, b) => b.lines - a.lines);

const failing = over.filter((f) => !allowed.has(f.path));
for (const f of over) console.log(`${String(f.lines).padStart(5)} ${f.path}${allowed.has(f.path) ? " (allowed for now)" : ""}`);
for (const path of allowed) {
  if (!over.some((f) => f.path === path)) console.log(`note: ${path} is within budget now; take it off the --allow list`);
}
if (failing.length) {
  console.error(`file-budget: ${failing.length} file(s) over ${BUDGET} lines: split each by job.`);
  process.exit(1);
}
console.log(`file-budget: every source file is within ${BUDGET} lines${over.length ? ", apart from the allowed ones" : ""}.`);
