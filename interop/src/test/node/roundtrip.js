#!/usr/bin/env node
// MQTT.js against a broker: connect (MQTT 5), subscribe, publish at QoS 1 with request/response
// properties, receive the message back and print one JSON line with what arrived.
//
//   node roundtrip.js --url mqtts://127.0.0.1:8883 --ca ca.pem [--cert client.pem --key client.key]
//                     [--client-id ID] [--topic T]
//
// Exit status 0 when the message came back with its properties intact, 1 otherwise (the JSON says
// why). Run by MqttJsInteropTest; install the dependency first with `npm ci` in this directory.
'use strict';

const fs = require('fs');
const mqtt = require('mqtt');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got '${argv[i]}'`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  if (!args.url) {
    throw new Error('--url is required (mqtt://, mqtts://, ws:// or wss://)');
  }
  return args;
}

const result = { ok: false, url: null, clientId: null, connack: null, received: null, errors: [] };

function finish(code) {
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(code));
}

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  result.errors.push(e.message);
  finish(1);
  return;
}

const suffix = Math.random().toString(16).slice(2, 10);
const topic = args.topic || `mqttjs/roundtrip/${suffix}`;
const sent = {
  payload: `hello from MQTT.js ${require('mqtt/package.json').version}`,
  userProperties: { region: 'eu', tag: ['a', 'b'] },
  responseTopic: `mqttjs/reply/${suffix}`,
  correlationData: `corr-${suffix}`,
};
result.url = args.url;
result.clientId = args['client-id'] || `mqttjs-${suffix}`;
result.topic = topic;
result.sent = sent;

const options = {
  protocolVersion: 5,
  clientId: result.clientId,
  clean: true,
  reconnectPeriod: 0, // one attempt: a refusal is an answer, not something to retry
  connectTimeout: 10000,
  rejectUnauthorized: true,
};
for (const [opt, file] of [['ca', args.ca], ['cert', args.cert], ['key', args.key]]) {
  if (file) {
    options[opt] = fs.readFileSync(file);
  }
}

const deadline = setTimeout(() => {
  result.errors.push('no round trip within 20 s');
  finish(1);
}, 20000);

const client = mqtt.connect(args.url, options);

client.on('error', (e) => {
  result.errors.push(`error: ${e.message}`);
  clearTimeout(deadline);
  client.end(true, () => finish(1));
});

client.on('connect', (connack) => {
  result.connack = { reasonCode: connack.reasonCode ?? connack.returnCode ?? 0, properties: connack.properties || {} };
  client.subscribe(topic, { qos: 1 }, (err, granted) => {
    if (err) {
      result.errors.push(`subscribe: ${err.message}`);
      return finish(1);
    }
    result.granted = granted.map((g) => g.qos);
    client.publish(topic, sent.payload, {
      qos: 1,
      properties: {
        userProperties: sent.userProperties,
        responseTopic: sent.responseTopic,
        correlationData: Buffer.from(sent.correlationData),
      },
    }, (perr) => {
      if (perr) {
        result.errors.push(`publish: ${perr.message}`);
      }
    });
  });
});

client.on('message', (t, payload, packet) => {
  const p = packet.properties || {};
  result.received = {
    topic: t,
    payload: payload.toString('utf8'),
    qos: packet.qos,
    userProperties: p.userProperties || null,
    responseTopic: p.responseTopic || null,
    correlationData: p.correlationData ? Buffer.from(p.correlationData).toString('utf8') : null,
  };
  const r = result.received;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (r.topic !== topic) result.errors.push(`topic: got ${r.topic}`);
  if (r.payload !== sent.payload) result.errors.push(`payload: got ${r.payload}`);
  if (r.qos !== 1) result.errors.push(`qos: got ${r.qos}`);
  if (!same(r.userProperties, sent.userProperties)) {
    result.errors.push(`user properties: got ${JSON.stringify(r.userProperties)}`);
  }
  if (r.responseTopic !== sent.responseTopic) result.errors.push(`response topic: got ${r.responseTopic}`);
  if (r.correlationData !== sent.correlationData) result.errors.push(`correlation data: got ${r.correlationData}`);
  result.ok = result.errors.length === 0;
  clearTimeout(deadline);
  client.end(false, () => finish(result.ok ? 0 : 1));
});
