package io.switchboard.broker.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/** The socket transport: native epoll where the platform has it, NIO otherwise. */
record Transport(String name, Class<? extends ServerChannel> serverChannel, boolean epoll) {

    static Transport detect() {
        if (!Boolean.getBoolean("switchboard.nio") && Epoll.isAvailable()) {
            return new Transport("epoll", EpollServerSocketChannel.class, true);
        }
        return new Transport("nio", NioServerSocketChannel.class, false);
    }

    EventLoopGroup newGroup(int threads, ThreadFactory factory) {
        return new MultiThreadIoEventLoopGroup(threads, factory,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }
}
