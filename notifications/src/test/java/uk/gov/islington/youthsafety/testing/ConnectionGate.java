package uk.gov.islington.youthsafety.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local TCP relay in front of the test PostgreSQL whose door can be shut: while shut, new
 * connections are refused, connections already through stay up. A test kills a connection on the
 * server ({@code pg_terminate_backend}), shuts the door so that the client cannot come back yet,
 * changes data meanwhile, then opens it: the outage lasts exactly as long as the test says,
 * whatever the machine's speed.
 */
public final class ConnectionGate implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private volatile boolean open = true;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private ConnectionGate(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  /** A gate to {@code db}'s server on a free local port, open. */
  public static ConnectionGate to(Vertx vertx, TestDatabase db) throws Exception {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    ConnectionGate gate = new ConnectionGate(server, client);
    server.connectHandler(inbound -> gate.relay(inbound, db));
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return gate;
  }

  private void relay(NetSocket inbound, TestDatabase db) {
    if (!open) {
      refused.incrementAndGet();
      inbound.close();
      return;
    }
    accepted.incrementAndGet();
    inbound.pause();
    client
        .connect(db.port(), db.host())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                inbound.close();
                return;
              }
              NetSocket outbound = ar.result();
              inbound.pipeTo(outbound);
              outbound.pipeTo(inbound);
              inbound.resume();
            });
  }

  /** {@code db}'s connect options, through this gate. */
  public PgConnectOptions connectOptions(TestDatabase db) {
    return db.connectOptions().setHost("127.0.0.1").setPort(server.actualPort());
  }

  /** Connections let through so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections refused while shut so far. */
  public int refused() {
    return refused.get();
  }

  public void shut() {
    open = false;
  }

  public void open() {
    open = true;
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
