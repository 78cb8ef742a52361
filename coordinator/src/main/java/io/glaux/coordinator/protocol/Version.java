package io.glaux.coordinator.protocol;

/** The server version reported to clients. */
public final class Version
{
    public static final String VERSION = "0.1.0";

    private Version() {}
}
