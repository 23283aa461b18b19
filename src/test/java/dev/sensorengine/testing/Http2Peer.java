package dev.sensorengine.testing;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2DataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2PingFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2StreamChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * One raw HTTP/2 connection, as a gateway or a Go client holds it: it sends keepalive PINGs, records every
 * GOAWAY the server sends and whether the connection is still open, and makes a gRPC health check over that same
 * connection. grpc-java's own client cannot stand in here: it never pings more often than every 10 seconds.
 */
public final class Http2Peer implements AutoCloseable {

    /** A GOAWAY frame from the server: its HTTP/2 error code (0 NO_ERROR, 11 ENHANCE_YOUR_CALM) and debug text. */
    public record GoAway(long errorCode, String debugData) {
        public static final long NO_ERROR = 0;
        public static final long ENHANCE_YOUR_CALM = 0xb;
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final List<GoAway> goAways = new CopyOnWriteArrayList<>();
    private final List<Long> pingAcks = new CopyOnWriteArrayList<>();
    /** What the next PING acknowledgement starts; only touched on the connection's event loop. */
    private LongConsumer onAck = ack -> {};

    private Http2Peer(String host, int port) throws InterruptedException {
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        Http2FrameCodecBuilder.forClient()
                                                .autoAckPingFrame(true)
                                                .build(),
                                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                        new ConnectionFrames());
                    }
                })
                .connect(host, port)
                .sync()
                .channel();
    }

    /** Connects to {@code host:port} over plaintext HTTP/2 (prior knowledge, as gRPC does). */
    public static Http2Peer connect(String host, int port) throws InterruptedException {
        return new Http2Peer(host, port);
    }

    /**
     * Pings like a keepalive timer: {@code count} PINGs, each sent {@code interval} after the previous one was
     * acknowledged, so the server never sees two closer together than {@code interval}. Stops early when the
     * connection closes or an acknowledgement takes longer than {@code interval} plus 5 s.
     *
     * @return how many PINGs were acknowledged
     */
    public int pingEvery(Duration interval, int count) throws InterruptedException, ExecutionException {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        channel.closeFuture().addListener(closed -> done.complete(pingAcks.size()));
        channel.eventLoop().execute(() -> ping(0, interval, count, done));
        try {
            return done.get(interval.multipliedBy(count).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return pingAcks.size();
        }
    }

    private void ping(long payload, Duration interval, int count, CompletableFuture<Integer> done) {
        if (payload == count) {
            done.complete(pingAcks.size());
            return;
        }
        onAck = ack -> channel.eventLoop()
                .schedule(() -> ping(payload + 1, interval, count, done), interval.toNanos(), TimeUnit.NANOSECONDS);
        channel.writeAndFlush(new DefaultHttp2PingFrame(payload, false));
    }

    /** The GOAWAY frames received so far. */
    public List<GoAway> goAways() {
        return List.copyOf(goAways);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * {@code grpc.health.v1.Health/Check} for the server as a whole, over this connection.
     *
     * @return the {@code grpc-status} of the answer, and the serving status when it is 0
     */
    public String healthCheck(long timeoutMillis) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new UnaryCall(answer))
                .open()
                .sync()
                .getNow();
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.method("POST")
                .scheme("http")
                .authority("127.0.0.1")
                .path("/" + HealthGrpc.getCheckMethod().getFullMethodName())
                .add("content-type", "application/grpc")
                .add("te", "trailers");
        byte[] request = HealthCheckRequest.getDefaultInstance().toByteArray();
        ByteBuf body = Unpooled.buffer(5 + request.length)
                .writeByte(0)
                .writeInt(request.length)
                .writeBytes(request);
        stream.write(new DefaultHttp2HeadersFrame(headers));
        stream.writeAndFlush(new DefaultHttp2DataFrame(body, true));
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + timeoutMillis + " ms";
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** Frames of the connection itself (stream 0): PING acknowledgements and GOAWAY. */
    private final class ConnectionFrames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2PingFrame ping && ping.ack()) {
                    pingAcks.add(ping.content());
                    onAck.accept(ping.content());
                } else if (msg instanceof Http2GoAwayFrame goAway) {
                    goAways.add(new GoAway(goAway.errorCode(), goAway.content().toString(StandardCharsets.UTF_8)));
                }
            } finally {
                io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil.release(msg);
            }
        }
    }

    /** One unary gRPC call's answer: the grpc-status from the trailers, with the health status on success. */
    private static final class UnaryCall extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> answer;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        UnaryCall(CompletableFuture<String> answer) {
            this.answer = answer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2DataFrame data) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    body.writeBytes(bytes);
                } else if (msg instanceof Http2HeadersFrame frame && frame.isEndStream()) {
                    CharSequence status = frame.headers().get("grpc-status");
                    answer.complete("grpc-status " + status + serving(String.valueOf(status)));
                }
            } finally {
                io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        private String serving(String status) {
            byte[] bytes = body.toByteArray();
            if (!status.equals("0") || bytes.length < 5) {
                return "";
            }
            try {
                return " "
                        + HealthCheckResponse.parseFrom(java.util.Arrays.copyOfRange(bytes, 5, bytes.length))
                                .getStatus();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                return " (unreadable answer)";
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.complete("stream closed without trailers");
        }
    }
}
