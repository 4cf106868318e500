#!/usr/bin/env node
// An mqtt-json-rpc caller (the npm package, JSON-RPC 2.0 over MQTT 3.1.1) calling Switchboard's
// responder: it makes the calls below and prints one JSON line with each outcome, then exits (0 when
// every call ended, with a result or an error; 1 when MQTT failed).
//
//   node jsonrpc-caller.js --url mqtt://127.0.0.1:1883
'use strict';

const mqtt = require('mqtt');
const RPC = require('mqtt-json-rpc');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const client = mqtt.connect(args.url, { clientId: `mjr-caller-${process.pid}`, protocolVersion: 4 });
const rpc = new RPC(client, { encoding: 'json', timeout: 10000 });
const out = { ok: false, outcomes: {}, errors: [] };

async function outcome(name, method, ...params) {
  try {
    out.outcomes[name] = { result: await rpc.call(method, ...params) };
  } catch (e) {
    out.outcomes[name] = { error: e instanceof Error ? { thrown: e.message } : e };
  }
}

client.on('error', (e) => out.errors.push(e.message));
rpc.on('connect', async () => {
  await Promise.all([
    outcome('greet', 'java/greet', 'world', 42),
    outcome('sum', 'java/sum', 1, 2, 3.5),
    outcome('object', 'java/echo', { door: 'front', open: true }),
    outcome('empty', 'java/echo'),
    outcome('declined', 'java/declines'),
    outcome('throws', 'java/throws'),
  ]);
  out.ok = out.errors.length === 0;
  console.log(JSON.stringify(out));
  rpc.end(() => process.exit(out.ok ? 0 : 1));
});
setTimeout(() => { out.errors.push('no result within 30 s'); console.log(JSON.stringify(out)); process.exit(1); }, 30000);
