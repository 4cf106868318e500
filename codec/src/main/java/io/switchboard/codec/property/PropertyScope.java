package io.switchboard.codec.property;

/** Where a property section appears: a packet type, or the Will Properties inside CONNECT. */
public enum PropertyScope {
    CONNECT, CONNACK, PUBLISH, WILL, PUBACK, PUBREC, PUBREL, PUBCOMP,
    SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH
}
