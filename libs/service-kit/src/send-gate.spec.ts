import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { KafkaSendGate, KafkaUnavailableError } from './send-gate.js';

/** A probe the test answers by hand: each call waits until the test says what the broker does. */
function manualProbe() {
  const waiting: Array<(answers: boolean) => void> = [];
  let called: () => void = () => undefined;
  const probe = (timeoutMs: number) => {
    assert.equal(timeoutMs, 2_000, 'the default probe timeout');
    called();
    return new Promise<boolean>((resolve) => waiting.push(resolve));
  };
  return {
    probe,
    /** Resolves once a probe is waiting for its answer. */
    async asked(): Promise<void> {
      if (waiting.length === 0) await new Promise<void>((resolve) => (called = resolve));
    },
    /** Waits for a probe, and gives it its answer. */
    async answer(answers: boolean): Promise<void> {
      await this.asked();
      waiting.shift()?.(answers);
    },
    get calls() {
      return waiting.length;
    },
  };
}

/** Resolves once the gate would let a send through (the probe's answer takes a few ticks to reach it). */
async function letsThrough(gate: KafkaSendGate): Promise<void> {
  while (!gate.isOpen) await setImmediate();
}

const failingSend = () => Promise.reject(new Error('Timeout has occurred'));
const acknowledged = () => Promise.resolve('acknowledged');

/** A gate whose first probe found a broker. */
async function openGate(broker: ReturnType<typeof manualProbe>): Promise<KafkaSendGate> {
  const gate = new KafkaSendGate(broker.probe, { probeIntervalMs: 1 });
  const first = gate.pass(acknowledged);
  await broker.answer(true);
  assert.equal(await first, 'acknowledged');
  return gate;
}

/** A gate that was open and closed on a failed send: probing for a broker again. */
async function closedGate(broker: ReturnType<typeof manualProbe>): Promise<KafkaSendGate> {
  const gate = await openGate(broker);
  await assert.rejects(gate.pass(failingSend), /Timeout has occurred/, 'the failure itself reaches the caller');
  return gate;
}

describe('KafkaSendGate', () => {
  // The gate logs each closing and opening; not wanted in the test output.
  before(() => Logger.overrideLogger(false));
  after(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('sends nothing before a first probe found a broker, then lets sends through without probing again', async () => {
    const broker = manualProbe();
    const gate = new KafkaSendGate(broker.probe);
    let sent = 0;
    const send = () => Promise.resolve(++sent);
    const first = [gate.pass(send), gate.pass(send)];
    await broker.answer(true);
    assert.deepEqual((await Promise.all(first)).sort(), [1, 2], 'both waited for the one probe');
    assert.equal(await gate.pass(send), 3);
    assert.deepEqual(await gate.readiness(), { ready: true });
    assert.equal(broker.calls, 0, 'no probe waiting');
    await gate.onModuleDestroy();
  });

  it('refuses at once when the first probe goes unanswered, and opens when a later one is', async () => {
    const broker = manualProbe();
    const gate = new KafkaSendGate(broker.probe, { probeIntervalMs: 1 });
    let sent = false;
    const first = gate.pass(() => Promise.resolve((sent = true)));
    await broker.answer(false);
    await assert.rejects(first, (error: unknown) => error instanceof KafkaUnavailableError && /no Kafka broker has answered since .*no broker answered the first probe.*nothing was sent/.test(error.message));
    assert.equal(sent, false, 'nothing handed to Kafka');
    assert.match(String((await gate.readiness())['reason']), /sends held back since .*: no broker answered the first probe/);
    await broker.answer(false);
    assert.equal(gate.isOpen, false, 'still closed while probes go unanswered');
    await broker.answer(true);
    await gate.onModuleDestroy();
    assert.equal(await gate.pass(acknowledged), 'acknowledged');
  });

  it('after a failed send refuses the next at once, without calling it, and reports not-ready with the reason', async () => {
    const broker = manualProbe();
    const gate = await closedGate(broker);
    let sent = false;
    await assert.rejects(
      gate.pass(() => Promise.resolve((sent = true))),
      (error: unknown) => error instanceof KafkaUnavailableError && /Error: Timeout has occurred/.test(error.message),
    );
    assert.equal(sent, false, 'nothing handed to Kafka while the gate is closed');
    const report = await gate.readiness();
    assert.equal(report.ready, false);
    assert.match(String(report['reason']), /sends held back since .*: Error: Timeout has occurred/);
    await broker.answer(true);
    await gate.onModuleDestroy();
    assert.deepEqual(await gate.readiness(), { ready: true }, 'open again once a broker answered');
  });

  it('after an outage lets one send through as a trial, refusing the others at once until Kafka acknowledges it', async () => {
    const broker = manualProbe();
    const gate = await closedGate(broker);
    await broker.answer(true);
    await gate.onModuleDestroy();
    assert.equal(gate.isOpen, true, 'a broker answered: the next send may go');
    let acknowledge: (value: string) => void = () => undefined;
    const trial = gate.pass(() => new Promise<string>((resolve) => (acknowledge = resolve)));
    let sent = 0;
    const other = () => Promise.resolve(String(++sent));
    await assert.rejects(
      gate.pass(other),
      (error: unknown) => error instanceof KafkaUnavailableError && /a trial send is waiting for its acknowledgement .*Error: Timeout has occurred.*nothing was sent/.test(error.message),
    );
    assert.equal(sent, 0, 'nothing else handed to Kafka while the trial send waits');
    assert.equal(gate.isOpen, false);
    const report = await gate.readiness();
    assert.equal(report.ready, false);
    assert.match(String(report['reason']), /trial send/);
    acknowledge('acknowledged');
    assert.equal(await trial, 'acknowledged');
    assert.deepEqual((await Promise.all([gate.pass(other), gate.pass(other)])).sort(), ['1', '2'], 'open: sends go side by side again');
    assert.deepEqual(await gate.readiness(), { ready: true });
  });

  it('closes again when the trial send fails, and tries again once a probe answers', async () => {
    const broker = manualProbe();
    const gate = await closedGate(broker);
    await broker.answer(true);
    await letsThrough(gate);
    await assert.rejects(gate.pass(() => Promise.reject(new Error('Request Produce timed out'))), /Request Produce timed out/);
    await assert.rejects(gate.pass(acknowledged), (error: unknown) => error instanceof KafkaUnavailableError && /no Kafka broker has answered since .*Request Produce timed out/.test(error.message));
    await broker.answer(true);
    await gate.onModuleDestroy();
    assert.equal(await gate.pass(acknowledged), 'acknowledged', 'the second trial');
    assert.equal(await gate.pass(acknowledged), 'acknowledged');
  });

  it('a probe that throws counts as unanswered', async () => {
    let probes = 0;
    let thirdProbe: () => void = () => undefined;
    const probed = new Promise<void>((resolve) => (thirdProbe = resolve));
    const gate = new KafkaSendGate(
      () => {
        probes += 1;
        if (probes < 3) return Promise.reject(new Error('connect ECONNREFUSED'));
        thirdProbe();
        return Promise.resolve(true);
      },
      { probeIntervalMs: 1 },
    );
    await assert.rejects(gate.pass(acknowledged), KafkaUnavailableError);
    await probed;
    await gate.onModuleDestroy();
    assert.equal(probes, 3);
    assert.equal(gate.isOpen, true);
  });

  it('stops probing once the app is destroyed', async () => {
    const broker = manualProbe();
    const gate = await closedGate(broker);
    await broker.answer(false);
    await broker.asked();
    const destroyed = gate.onModuleDestroy();
    await broker.answer(false);
    await destroyed;
    assert.equal(broker.calls, 0, 'no probe after the one in flight');
    assert.equal(gate.isOpen, false);
  });
});
