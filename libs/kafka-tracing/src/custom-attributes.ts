/**
 * Attributes this system adds where the semantic conventions have no name yet. They are
 * namespaced (`mqtrace.`) so they never collide with a future convention.
 */

/** 1-based delivery attempt of a record within one consumer (retries before dead-lettering). */
export const ATTR_DELIVERY_ATTEMPT = 'mqtrace.delivery.attempt';

/** Set on a consumer span whose record was dead-lettered after it. */
export const ATTR_DEAD_LETTERED = 'mqtrace.dead_lettered';

/** How a run of a job was started: `scheduler` for a timer, `manual` for an operator. */
export const ATTR_JOB_TRIGGER = 'mqtrace.job.trigger';

/** Name of the scheduled job. */
export const ATTR_JOB_NAME = 'mqtrace.job.name';

/** How many stored items a job run handled. */
export const ATTR_JOB_ITEMS = 'mqtrace.job.items';

/** How many links to the items' traces were left off because of the link cap. */
export const ATTR_JOB_LINKS_DROPPED = 'mqtrace.job.links_dropped';

/** Set on a consumer span whose record was re-published to a retry topic after it. */
export const ATTR_RETRY_SCHEDULED = 'mqtrace.retry_scheduled';
