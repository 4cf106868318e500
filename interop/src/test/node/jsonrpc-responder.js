#!/usr/bin/env node
// An mqtt-json-rpc responder (the npm package, JSON-RPC 2.0 over MQTT 3.1.1) for Switchboard's
// callers to call. It registers the methods below, prints READY once subscribed, and runs until it
// gets SIGTERM, or stops by itself after --max-seconds (default 60).
//
//   node jsonrpc-responder.js --url mqtt://127.0.0.1:1883
//
// Methods: example/hello (name, n) -> "Hello name:n"; t/add (...numbers) -> their sum;
// t/boom () throws new Error("boom"); t/nothing () -> null.
'use strict';

const mqtt = require('mqtt');
const RPC = require('mqtt-json-rpc');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
if (!args.url) {
  console.error('--url is required');
  process.exit(2);
}
const client = mqtt.connect(args.url, { clientId: `mjr-responder-${process.pid}`, protocolVersion: 4 });
const rpc = new RPC(client, { encoding: 'json' });
const stop = setTimeout(() => { console.error('stopping after --max-seconds'); process.exit(3); },
  1000 * Number(args['max-seconds'] || 60));

rpc.on('error', (e) => console.error('MQTT error:', e.message));
rpc.on('connect', async () => {
  await rpc.register('example/hello', (name, n) => `Hello ${name}:${n}`);
  await rpc.register('t/add', (...numbers) => numbers.reduce((a, b) => a + b, 0));
  await rpc.register('t/boom', () => { throw new Error('boom'); });
  await rpc.register('t/nothing', () => null);
  console.log('READY');
});
process.on('SIGTERM', () => { clearTimeout(stop); rpc.end(() => process.exit(0)); });
