import type { KafkaContext } from '@nestjs/microservices';
import { DEAD_LETTER_HEADERS, headerText } from '@mqtrace/kafka-tracing';

/** Where a dead-lettered record came from and why it failed, read from its headers. */
export interface DeadLetterFacts {
  /** The record key: the order id on every topic of the system. */
  readonly key?: string;
  readonly originalTopic?: string;
  readonly originalPartition?: string;
  readonly originalOffset?: string;
  readonly consumerGroup?: string;
  readonly attempts?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
}

/** The facts a dead-letter record carries (headers written by the tracing library). */
export function deadLetterFacts(kafka: KafkaContext): DeadLetterFacts {
  const message = kafka.getMessage();
  const header = (name: string) => headerText(message.headers?.[name]);
  const facts: Record<string, string | undefined> = {
    key: headerText(message.key ?? undefined),
    originalTopic: header(DEAD_LETTER_HEADERS.topic),
    originalPartition: header(DEAD_LETTER_HEADERS.partition),
    originalOffset: header(DEAD_LETTER_HEADERS.offset),
    consumerGroup: header(DEAD_LETTER_HEADERS.consumerGroup),
    attempts: header(DEAD_LETTER_HEADERS.attempts),
    errorType: header(DEAD_LETTER_HEADERS.errorType),
    errorMessage: header(DEAD_LETTER_HEADERS.errorMessage),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as DeadLetterFacts;
}
