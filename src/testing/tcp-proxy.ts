// A TCP proxy between the app and PostgreSQL that a test can cut and restore: the nearest thing to
// a database restart that a test can cause without restarting the shared server.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** Where the app connects: 127.0.0.1 and this port. */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** Closes every connection through it and refuses new ones (nothing listens on the port). */
  cut(): Promise<void>;
  /** Listens on the same port again and forwards as before. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };

  function forward(client: Socket) {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side ending or failing ends the other: the app sees what a server going away looks like.
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }

  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(forward);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve(server));
    });

  let server: Server | null = await listen(0);
  const port = (server.address() as { port: number }).port;

  async function cut() {
    if (!server) return;
    const closing = server;
    server = null;
    // close() stops accepting at once; its callback waits for the connections, which end below.
    const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut,
    async restore() {
      server ??= await listen(port);
    },
    close: cut,
  };
}
