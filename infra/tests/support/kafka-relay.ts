import { connect, createServer, type Socket } from 'node:net';

/** Kafka's request API key for Produce: the one request that writes records. */
const PRODUCE = 0;

/**
 * A TCP relay in front of a Kafka broker, which a test can make look like a broker that
 * is starting. It reads the client's side request by request (Kafka frames each with a
 * 4-byte length), so it can hold some requests back and hand them over later, in order.
 */
export interface KafkaRelay {
  /**
   * From now on, a connection that sends a Produce request is held from that request on,
   * while every other connection (metadata, a probe) is relayed as before: a broker that
   * answers metadata but does not take writes yet, as a restarted broker can for seconds.
   */
  holdWrites(): void;
  /** Hands every held request over to the broker, in order (even from clients that gave up), and relays from then on. */
  release(): void;
  close(): Promise<void>;
}

/** One client connection: what it has sent and not yet relayed, and whether it is held. */
interface Connection {
  readonly broker: Socket;
  pending: Buffer;
  held: boolean;
  readonly heldFrames: Buffer[];
  /** The client has closed; the broker connection stays until its held requests are handed over. */
  clientGone?: boolean;
}

/**
 * Opens a {@link KafkaRelay} at 127.0.0.1:`port` to `broker` (`host:port`). A `held` relay
 * is a broker that is starting, as a client sees it: connections are accepted, but
 * nothing is answered until `release()`; then the broker gets every request it was sent
 * meanwhile. Kafka tells clients to connect to the address it advertises, so a relay
 * sees a client's writes only when the broker advertises the relay's port
 * (`KAFKA_ADVERTISED_PORT`); otherwise it sees the first connection only.
 */
export async function openKafkaRelay(port: number, broker: string, { held = false } = {}): Promise<KafkaRelay> {
  const [host = '127.0.0.1', brokerPort] = broker.split(':');
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  let holdingAll = held;
  let holdingWrites = false;

  const relayFrames = (connection: Connection) => {
    while (connection.pending.length >= 4) {
      const end = 4 + connection.pending.readInt32BE(0);
      if (connection.pending.length < end) return;
      const frame = connection.pending.subarray(0, end);
      connection.pending = connection.pending.subarray(end);
      if (holdingWrites && frame.length >= 6 && frame.readInt16BE(4) === PRODUCE) connection.held = true;
      if (connection.held) connection.heldFrames.push(frame);
      else connection.broker.write(frame);
    }
  };

  const relay = createServer((client) => {
    const upstream = connect(Number(brokerPort), host);
    const connection: Connection = { broker: upstream, pending: Buffer.alloc(0), held: holdingAll, heldFrames: [] };
    sockets.add(client).add(upstream);
    connections.add(connection);
    client.on('data', (chunk: Buffer) => {
      connection.pending = Buffer.concat([connection.pending, chunk]);
      relayFrames(connection);
    });
    upstream.pipe(client);
    // A client that gave up still reaches the broker with what it sent: its held
    // requests go over at release, and only then does the connection end.
    const clientGone = () => {
      client.destroy();
      if (connection.heldFrames.length > 0) connection.clientGone = true;
      else forget();
    };
    const forget = () => {
      connections.delete(connection);
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', clientGone).on('close', clientGone);
    upstream.on('error', forget).on('close', forget);
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return {
    holdWrites: () => {
      holdingWrites = true;
    },
    release: () => {
      holdingAll = false;
      holdingWrites = false;
      for (const connection of connections) {
        connection.held = false;
        for (const frame of connection.heldFrames.splice(0)) connection.broker.write(frame);
        if (connection.clientGone) connection.broker.end();
      }
    },
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => relay.close(() => resolve()));
    },
  };
}
