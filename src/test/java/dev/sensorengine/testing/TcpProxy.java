package dev.sensorengine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A loopback TCP proxy a test can cut and restore, standing in for the network between the service and Temporal.
 * Cut, nothing gets through in either direction, on open connections or new ones, as in a network partition: the
 * client sees calls hang until their deadlines, not a quick refusal. Restored, what was held is delivered and
 * traffic flows again, as TCP does once a short partition heals; the server behind it keeps its state. Delayed, each
 * of the server's bytes arrives that long after it was sent, as from a Temporal under strain.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final Set<Socket> sockets = new HashSet<>();
    private boolean cut;
    private volatile Duration delay = Duration.ZERO;

    public TcpProxy(String upstreamTarget) throws IOException {
        int colon = upstreamTarget.lastIndexOf(':');
        this.upstream = new InetSocketAddress(
                upstreamTarget.substring(0, colon), Integer.parseInt(upstreamTarget.substring(colon + 1)));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::acceptAll).start();
    }

    /** {@code host:port} for a client. */
    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on nothing gets through. */
    public synchronized void cut() {
        cut = true;
    }

    /** From now on every chunk from the server reaches the client this much later: a slow Temporal. */
    public void delay(Duration value) {
        delay = value;
    }

    /** Delivers what was held and forwards again. */
    public synchronized void restore() {
        cut = false;
        notifyAll();
    }

    @Override
    public synchronized void close() throws IOException {
        listener.close();
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
        cut = false;
        notifyAll();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(server);
                }
                daemon("proxy-up", () -> pump(client, server, false)).start();
                daemon("proxy-down", () -> pump(server, client, true)).start();
            } catch (IOException e) {
                closeQuietly(client); // the server is not there: the client sees a refusal, as without the proxy
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        // The server's bytes go through a queue to a writer of their own, which sends each chunk when its delay has
        // passed since it arrived: a one-way latency, as a slow link or server would add, whatever the chunking.
        BlockingQueue<Chunk> late = new LinkedBlockingQueue<>();
        if (fromServer) {
            daemon("proxy-down-late", () -> deliver(late, to)).start();
        }
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int read; (read = in.read(buffer)) >= 0; ) {
                // Bytes read while cut wait here, and no more are read: the sender's TCP window fills, as in a
                // partition.
                awaitOpen();
                if (fromServer) {
                    late.put(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + delay.toNanos()));
                } else {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // either side closed: so does the other, below
        } finally {
            if (fromServer) {
                late.add(Chunk.END);
            } else {
                closeQuietly(from);
                closeQuietly(to);
            }
            synchronized (this) {
                sockets.remove(from);
            }
        }
    }

    /** Writes each of the server's chunks once it is due, then closes both sockets when the server's side ended. */
    private void deliver(BlockingQueue<Chunk> late, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            for (Chunk chunk = late.take(); chunk != Chunk.END; chunk = late.take()) {
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                awaitOpen();
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        } finally {
            closeQuietly(to);
            synchronized (this) {
                sockets.remove(to);
            }
        }
    }

    /** Bytes from the server, and when they are to be sent on. */
    private record Chunk(byte[] bytes, long dueNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    private synchronized void awaitOpen() throws InterruptedException {
        while (cut) {
            wait();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
