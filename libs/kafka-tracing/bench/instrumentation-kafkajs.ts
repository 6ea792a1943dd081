/**
 * Gets the real per-message wrapper of `@opentelemetry/instrumentation-kafkajs` without a
 * broker. The instrumentation's own kafkajs patch is applied to a stand-in kafkajs module
 * whose consumer's `run` only keeps the `eachMessage` it receives: the patched `run`
 * wraps `eachMessage` before calling it, so what is kept is the instrumentation's
 * unmodified wrapper (extract, CONSUMER span, `context.with`, end on the returned promise).
 */
import type { TracerProvider } from '@opentelemetry/api';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import type { EachMessagePayload } from 'kafkajs';

type EachMessage = (payload: EachMessagePayload) => Promise<void>;

/** `handler` wrapped the way instrumentation-kafkajs wraps a consumer's `eachMessage`. */
export async function instrumentedEachMessage(provider: TracerProvider, handler: EachMessage): Promise<EachMessage> {
  // enabled: false installs no require hook; the patch is applied by hand below.
  const instrumentation = new KafkaJsInstrumentation({ enabled: false });
  instrumentation.setTracerProvider(provider);
  const definition = instrumentation.getModuleDefinitions().find((candidate) => candidate.name === 'kafkajs');
  if (!definition?.patch) throw new Error('instrumentation-kafkajs has no kafkajs module patch');

  let kept: EachMessage | undefined;
  class Kafka {
    producer(): object {
      return {};
    }
    consumer(): { run(config: { eachMessage: EachMessage }): Promise<void> } {
      return { run: async (config) => void (kept = config.eachMessage) };
    }
  }
  definition.patch({ Kafka }, '2.2.4');
  await new Kafka().consumer().run({ eachMessage: handler });
  if (!kept || kept === handler) throw new Error('instrumentation-kafkajs did not wrap eachMessage');
  return kept;
}
