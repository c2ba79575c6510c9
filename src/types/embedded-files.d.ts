// `import x from "…" with { type: "file" }` yields the file's path (inside the binary: its embedded path).
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
