// The console's own MQTT 5 connection, over the broker's WebSocket listener, shared by the test client
// and the RPC panel. It connects with a short-lived credential the admin API mints for the signed-in
// user (POST /api/v1/console/mqtt-credential), so it has that user's MQTT rights and no more; the
// credential only has to be valid when connecting, so every reconnection fetches a fresh one, which is
// why MQTT.js's own reconnection is off and this class does it.
import mqtt from './vendor/mqtt.esm.js';
import {post, ApiError} from './api.js';
import {hexCode} from './dom.js';

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
const EVENTS_KEPT = 50;

/** Reason codes a broker may send in CONNACK or DISCONNECT (MQTT 5, 3.2.2.2 and 3.14.2.1), for people. */
export const REASONS = {
  0x00: 'Success', 0x04: 'Disconnect with Will Message', 0x10: 'No matching subscribers', 0x11: 'No subscription existed',
  0x80: 'Unspecified error', 0x81: 'Malformed Packet', 0x82: 'Protocol Error', 0x83: 'Implementation specific error',
  0x84: 'Unsupported Protocol Version', 0x85: 'Client Identifier not valid', 0x86: 'Bad User Name or Password',
  0x87: 'Not authorized', 0x88: 'Server unavailable', 0x89: 'Server busy', 0x8A: 'Banned', 0x8B: 'Server shutting down',
  0x8C: 'Bad authentication method', 0x8D: 'Keep Alive timeout', 0x8E: 'Session taken over', 0x8F: 'Topic Filter invalid',
  0x90: 'Topic Name invalid', 0x91: 'Packet Identifier in use', 0x92: 'Packet Identifier not found',
  0x93: 'Receive Maximum exceeded', 0x94: 'Topic Alias invalid', 0x95: 'Packet too large', 0x96: 'Message rate too high',
  0x97: 'Quota exceeded', 0x98: 'Administrative action', 0x99: 'Payload format invalid', 0x9A: 'Retain not supported',
  0x9B: 'QoS not supported', 0x9C: 'Use another server', 0x9D: 'Server moved', 0x9E: 'Shared Subscriptions not supported',
  0x9F: 'Connection rate exceeded', 0xA0: 'Maximum connect time', 0xA1: 'Subscription Identifiers not supported',
  0xA2: 'Wildcard Subscriptions not supported',
};

/** "0x98 Administrative action". */
export function reason(code) {
  return `${hexCode(code)} ${REASONS[code] || ''}`.trim();
}

/**
 * States: 'idle' (not wanted), 'connecting', 'connected', 'waiting' (lost; trying again soon),
 * 'failed' (will not try again by itself). Events (EventTarget): 'state' on every change, 'message'
 * with {topic, payload, packet}, 'connected' after each CONNACK (subscribe again there: every
 * connection starts a clean session).
 */
export class ConsoleMqtt extends EventTarget {
  constructor() {
    super();
    this.state = 'idle';
    this.client = null;
    this.credential = null;
    /** The CONNACK's Response Information: this connection's private reply-topic prefix ($reply/...). */
    this.responseInformation = null;
    this.connack = null;
    this.events = [];
    this.retryMs = RETRY_FIRST_MS;
    this.retryTimer = null;
    this.retryAt = null;
    this.wanted = false;
  }

  get connected() {
    return this.state === 'connected';
  }

  /** Connects unless connected or connecting. */
  connect() {
    this.wanted = true;
    if (this.state === 'idle' || this.state === 'failed' || this.state === 'waiting') {
      this.retryMs = RETRY_FIRST_MS;
      this.attempt();
    }
  }

  /** Disconnects (DISCONNECT 0x00) and stays disconnected. */
  disconnect() {
    const c = this.stop();
    if (c) {
      c.end(false);
      this.log('Disconnected.');
    }
    this.setState('idle');
  }

  /** Closes the connection at once, without waiting for anything (the page is going away). */
  close() {
    const c = this.stop();
    if (c) {
      c.end(true);
      // MQTT.js closes its WebSocket a tick later, by which time a page going away is frozen: close it now.
      c.consoleSocket?.close();
    }
    this.setState('idle');
  }

  /** No more reconnecting; returns the client that was connected (or connecting), no longer ours. */
  stop() {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const c = this.client;
    this.client = null;
    return c;
  }

  async attempt() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState('connecting');
    let credential;
    try {
      credential = await post('/api/v1/console/mqtt-credential');
    } catch (e) {
      const message = e instanceof ApiError ? e.describe() : String(e);
      if (e instanceof ApiError && (e.status === 409 || e.status === 401 || e.status === 403)) {
        this.log(`No MQTT credential: ${message}`);
        this.setState('failed');
        return;
      }
      this.log(`No MQTT credential: ${message}`);
      this.scheduleRetry();
      return;
    }
    if (!this.wanted) {
      this.setState('idle');
      return;
    }
    this.credential = credential;
    this.log(`Connecting to ${credential.url} as ${credential.clientId}...`);
    let socket = null;
    const client = mqtt.connect(credential.url, {
      createWebsocket: (url, protocols) => {
        socket = new WebSocket(url, protocols);
        return socket;
      },
      protocolVersion: 5,
      clientId: credential.clientId,
      username: credential.username,
      password: credential.password,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10000,
      keepalive: 60,
      // MQTT.js's default timers in a browser run in a Worker made from a blob: URL, which the console's
      // Content-Security-Policy (script-src 'self') does not allow; plain timers then.
      timerVariant: 'native',
      resubscribe: false,
      properties: {requestResponseInformation: true, sessionExpiryInterval: 0},
    });
    Object.defineProperty(client, 'consoleSocket', {get: () => socket});
    this.client = client;
    let lostReason = null;
    client.on('connect', (connack) => {
      if (this.client !== client) {
        return;
      }
      this.connack = connack;
      this.responseInformation = connack.properties?.responseInformation ?? null;
      this.retryMs = RETRY_FIRST_MS;
      this.log(`Connected as ${credential.clientId}` +
        (this.responseInformation ? `; reply prefix ${this.responseInformation}` : '; no Response Information'));
      this.setState('connected');
      this.dispatchEvent(new CustomEvent('connected', {detail: connack}));
    });
    client.on('message', (topic, payload, packet) => {
      if (this.client === client) {
        this.dispatchEvent(new CustomEvent('message', {detail: {topic, payload, packet, at: new Date()}}));
      }
    });
    client.on('disconnect', (packet) => {
      lostReason = `the broker sent DISCONNECT ${reason(packet.reasonCode ?? 0)}` +
        (packet.properties?.reasonString ? `: ${packet.properties.reasonString}` : '');
    });
    client.on('error', (err) => {
      lostReason = err.code !== undefined && typeof err.code === 'number'
        ? `${err.message} (${reason(err.code)})` : String(err.message || err);
    });
    client.on('close', () => {
      if (this.client !== client) {
        return;
      }
      this.client = null;
      client.end(true);
      this.log(`Connection lost${lostReason ? `: ${lostReason}` : '.'}`);
      if (this.wanted) {
        this.scheduleRetry();
      } else {
        this.setState('idle');
      }
    });
  }

  scheduleRetry() {
    if (!this.wanted) {
      this.setState('idle');
      return;
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryAt = Date.now() + wait;
    this.log(`Connecting again in ${Math.round(wait / 1000)} s, with a fresh credential.`);
    this.retryTimer = setTimeout(() => this.attempt(), wait);
    this.setState('waiting');
  }

  /** Subscribes; resolves to the granted QoS or rejects with the SUBACK's reason code. */
  subscribe(filter, options) {
    return new Promise((resolve, reject) => {
      if (!this.client || !this.connected) {
        reject(new Error('not connected'));
        return;
      }
      this.client.subscribe(filter, options, (err, granted) => {
        if (err) {
          // MQTT.js gives a refusal as an Error carrying the SUBACK (err.packet), or its reason code (err.code).
          const refused = typeof err.code === 'number' ? err.code : err.packet?.granted?.find((g) => g >= 0x80);
          reject(new Error(refused === undefined ? err.message : `SUBACK ${reason(refused)}`));
          return;
        }
        const code = granted?.[0]?.qos ?? 0x80;
        if (code >= 0x80) {
          reject(new Error(`SUBACK ${reason(code)}`));
        } else {
          resolve(code);
        }
      });
    });
  }

  unsubscribe(filter) {
    return new Promise((resolve) => {
      if (!this.client || !this.connected) {
        resolve();
        return;
      }
      this.client.unsubscribe(filter, () => resolve());
    });
  }

  /**
   * Publishes; resolves to the acknowledgement's reason code (0 for QoS 0), rejects with an Error
   * naming the refusal (PUBACK 0x87 Not authorized, say).
   */
  publish(topic, payload, options) {
    return new Promise((resolve, reject) => {
      if (!this.client || !this.connected) {
        reject(new Error('not connected'));
        return;
      }
      this.client.publish(topic, payload, options, (err, packet) => {
        if (err) {
          reject(new Error(typeof err.code === 'number' ? `${err.message} (${reason(err.code)})` : err.message));
        } else {
          resolve(packet?.reasonCode ?? 0);
        }
      });
    });
  }

  log(text) {
    this.events.unshift({at: new Date(), text});
    this.events.length = Math.min(this.events.length, EVENTS_KEPT);
  }

  setState(s) {
    this.state = s;
    this.dispatchEvent(new CustomEvent('state', {detail: s}));
  }
}

/** The one connection of this browser tab. */
export const consoleMqtt = new ConsoleMqtt();
