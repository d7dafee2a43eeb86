package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.config.ServerConfig;
import dev.slipway.inference.InferenceService;
import dev.slipway.server.Access;
import dev.slipway.server.Management;
import dev.slipway.server.telemetry.Telemetry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The REST listener: Netty's HTTP/1.1 codec (epoll when available) in front of {@link RestHandler}. */
public final class RestServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private RestServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds the REST port and starts serving. */
    public static RestServer start(
            InferenceService service,
            ServerConfig config,
            Executor inference,
            dev.slipway.api.Ticker ticker,
            Access access,
            Management management,
            @org.jspecify.annotations.Nullable SslContext tls,
            Telemetry telemetry) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                config.resolvedIoThreads(), new DefaultThreadFactory("slipway-http", true), io);
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        RestHandler handler = new RestHandler(service, inference, ticker, access, management, telemetry);
        int maxBody = (int) Math.min(Integer.MAX_VALUE, service.limits().maxBodyBytes());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline()
                                    .addLast(new HttpServerCodec(4096, 16 * 1024, 64 * 1024))
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new LimitedAggregator(maxBody))
                                    .addLast(handler);
                        }
                    })
                    .bind(new InetSocketAddress(config.bindHost(), config.port()))
                    .syncUninterruptibly()
                    .channel();
            return new RestServer(group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage()
                            + " (expected: a free port and a local address; port 0 picks a free port)",
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
}
