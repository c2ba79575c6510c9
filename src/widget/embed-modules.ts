// The chat's ES modules (public/embed/*.js) as the iframe gets them: without comments and
// whitespace, like the loader (loader.ts). Module by module with Bun's transpiler: imports,
// exports and names stay as written, so the files still load one another and read the same in
// the browser's debugger. The weight test (embed-page.test.ts) measures this, what customers download.
const transpiler = new Bun.Transpiler({ loader: "js", minifyWhitespace: true });

export const servedModule = (source: string): string => transpiler.transformSync(source);
