// The embed loader (public/widget.js) as sites get it: its stylesheet (public/embed/launcher.css)
// inlined and the whole minified by Bun.build, then the launcher's strings put in their
// placeholder. The compiled binary embeds the copy scripts/build.ts made; run from a checkout
// (`bun run src/main.ts`, tests) it is made on first request.
import { basename, join } from "node:path";
import { APP_ROOT, PUBLIC_DIR } from "../paths.ts";
import { launcherStrings } from "./locales/index.ts";

/** Where scripts/build.ts writes the minified loader; `--asset` embeds the directory by its last part. */
export const BUILT_LOADER_DIR = "dist/loader";
export const BUILT_LOADER_FILE = "widget.min.js";
const compiled = APP_ROOT.startsWith("/$bunfs");

/** The loader's source with its stylesheet inlined, minified. In memory (`files`): Bun.build reads no path inside the binary. */
export async function minifyLoader(): Promise<string> {
  const [source, css] = await Promise.all(["widget.js", "embed/launcher.css"].map((file) => Bun.file(join(PUBLIC_DIR, file)).text()));
  const stylesheet = css!.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\n+/g, "").trim();
  const withCss = source!.replace("__SD_LAUNCHER_CSS__", () => JSON.stringify(stylesheet));
  const result = await Bun.build({ entrypoints: ["/widget.js"], files: { "/widget.js": withCss }, minify: true });
  const [output] = result.outputs;
  if (!result.success || !output) throw new AggregateError(result.logs, "the widget loader did not minify");
  return output.text();
}

/**
 * The loader's text with the launcher's few strings, from the same catalogs as the rest of the
 * widget, in place of its placeholder (a function replacement: no `$&` surprises).
 */
export function servedLoader(minified: string): string {
  return minified.replace("__SD_STRINGS__", () => JSON.stringify(launcherStrings()));
}

/** The loader as GET /widget.js serves it. */
export async function loaderText(): Promise<string> {
  if (compiled) return servedLoader(await Bun.file(join(APP_ROOT, basename(BUILT_LOADER_DIR), BUILT_LOADER_FILE)).text());
  return servedLoader(await minifyLoader());
}
