import { expect, test } from "bun:test";
import { join } from "node:path";
import { PUBLIC_DIR } from "../paths.ts";
import { VENDORED_FILES } from "./vendored-files.ts";

test("public/vendor holds exactly the versions pinned in package-lock.json (run `bun run vendor` after a bump)", async () => {
  for (const { from, to } of VENDORED_FILES) {
    const pinned = await Bun.file(join(PUBLIC_DIR, "../node_modules", from)).text();
    const served = await Bun.file(join(PUBLIC_DIR, "vendor", to)).text();
    expect(served === pinned).toBe(true);
  }
});
