package dev.slipway.payload;

import java.io.IOException;

/** Where the writer thread puts finished lines; used by that thread only. */
interface LineSink extends AutoCloseable {
    /** Appends one line, its newline included. */
    void write(byte[] line) throws IOException;

    /** Pushes buffered lines to the operating system; called when the queue runs empty. */
    void flush() throws IOException;

    /** Called about once a second while idle, for time-based rotation. */
    void tick() throws IOException;

    @Override
    void close() throws IOException;
}
