package dev.slipway.server.telemetry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.server.Access;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus scrape on a port of its own ({@code metrics.port}): one thread, plain HTTP, {@code GET <path>} only,
 * under the same access rule as inference (a reader token when {@code security.inference: reader}).
 */
public final class MetricsServer implements AutoCloseable {
    /** The content type of the Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code host:port} (0 picks a free port) and serves the scrape. */
    public static MetricsServer start(Telemetry telemetry, String host, int port, Access access) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("slipway-metrics", true), NioIoHandler.newFactory());
        String path = telemetry.metricsConfig().scrapePath();
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast(new Handler(telemetry, path, access));
                        }
                    })
                    .bind(new InetSocketAddress(host, port))
                    .syncUninterruptibly()
                    .channel();
            return new MetricsServer(group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "metrics.port: cannot listen on " + host + ":" + port + ": " + e.getMessage()
                            + " (expected: a free port; 0 picks one)",
                    e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The text of a scrape response, or of a refusal. */
    static FullHttpResponse response(HttpResponseStatus status, String contentType, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Telemetry telemetry;
        private final String path;
        private final Access access;

        Handler(Telemetry telemetry, String path, Access access) {
            this.telemetry = telemetry;
            this.path = path;
            this.access = access;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (!new QueryStringDecoder(request.uri()).path().equals(path)) {
                response = response(HttpResponseStatus.NOT_FOUND, "text/plain", "Not Found: the scrape is at " + path);
            } else if (!request.method().equals(HttpMethod.GET)) {
                response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "Method Not Allowed");
                response.headers().set(HttpHeaderNames.ALLOW, "GET");
            } else {
                try {
                    access.check(Access.Need.INFERENCE, request.headers().get(HttpHeaderNames.AUTHORIZATION));
                    response = response(HttpResponseStatus.OK, CONTENT_TYPE, telemetry.scrape());
                } catch (SlipwayException e) {
                    response =
                            response(HttpResponseStatus.valueOf(e.code().httpStatus()), "text/plain", e.getMessage());
                }
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
