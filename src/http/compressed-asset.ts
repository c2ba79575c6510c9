import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * A text asset compressed once, at first use, and served with the best encoding the client
 * accepts. The widget's files load on every page of every site that embeds it, so their bytes on
 * the wire matter more than anything else we serve.
 */
export class CompressedAsset {
  private readonly br: Uint8Array<ArrayBuffer>;
  private readonly gzip: Uint8Array<ArrayBuffer>;
  private readonly plain: Uint8Array<ArrayBuffer>;
  readonly etag: string;

  constructor(
    text: string,
    private readonly contentType: string,
    private readonly cacheControl: string,
  ) {
    this.plain = new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
    this.br = new Uint8Array(brotliCompressSync(this.plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    this.gzip = new Uint8Array(gzipSync(this.plain, { level: 9 }));
    this.etag = `"${Bun.hash(this.plain).toString(36)}"`;
  }

  response(request: Request): Response {
    const headers: Record<string, string> = {
      "content-type": this.contentType,
      "cache-control": this.cacheControl,
      etag: this.etag,
      vary: "Accept-Encoding",
    };
    if (request.headers.get("if-none-match") === this.etag) return new Response(null, { status: 304, headers });
    const accepts = request.headers.get("accept-encoding") ?? "";
    if (/\bbr\b/.test(accepts)) return new Response(this.br, { headers: { ...headers, "content-encoding": "br" } });
    if (/\bgzip\b/.test(accepts)) return new Response(this.gzip, { headers: { ...headers, "content-encoding": "gzip" } });
    return new Response(this.plain, { headers });
  }
}

/** Builds the asset on first request, so a missing file fails that request, not the boot. */
export function lazyAsset(build: () => Promise<CompressedAsset>): () => Promise<CompressedAsset> {
  let asset: Promise<CompressedAsset> | null = null;
  return () => {
    asset ??= build().catch((err: unknown) => {
      asset = null;
      throw err;
    });
    return asset;
  };
}
