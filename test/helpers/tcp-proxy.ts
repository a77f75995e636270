/**
 * A TCP proxy in front of a server (PostgreSQL here), that a test can cut and restore: cutting
 * destroys every open connection and stops listening, so the client sees what a server restart or
 * a network cut looks like (dropped connections, then ECONNREFUSED); restoring listens again on
 * the same port, as the server coming back.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones until `restore`. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  let server = makeServer();
  function makeServer(): net.Server {
    return net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
  }
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const port = await listen(0);
  return {
    port,
    cut: stop,
    async restore() {
      server = makeServer();
      await listen(port);
    },
    close: stop,
  };
}

/** A proxy in front of the PostgreSQL server of `serverUrl`, and that URL pointed through it. */
export async function proxyPostgres(serverUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const server = new URL(serverUrl);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const through = new URL(serverUrl);
  through.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: through.toString() };
}
