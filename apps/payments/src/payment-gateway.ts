/** What a charge came to when the gateway answered. */
export type ChargeOutcome = { readonly approved: true } | { readonly approved: false; readonly reason: string };

/** The gateway did not answer this time; a later attempt may succeed (retried). */
export class GatewayTimeoutError extends Error {
  override readonly name = 'GatewayTimeoutError';
}

/** The payment tokens the simulated gateway knows, so demos and tests are deterministic. */
export const PAYMENT_TOKENS = {
  /** Charged. */
  approved: 'tok_approved',
  /** Declined: a business outcome, not an error. */
  declined: 'tok_declined',
  /** Times out on the first attempt, charged on a retry. */
  transient: 'tok_transient',
  /** Times out on every attempt: dead-lettered after the last one. */
  poison: 'tok_poison',
} as const;

/**
 * A simulated payment gateway (the "backend" of this service): the token decides the
 * outcome; any token it does not know is declined. Remembers which transient charges
 * already failed once, per order, so the retry of the same charge succeeds, and the
 * outcome of every order it answered, so a charge delivered twice is not charged twice
 * (as a real gateway does with an idempotency key).
 */
export class PaymentGateway {
  private readonly failedOnce = new Set<string>();
  private readonly outcomes = new Map<string, ChargeOutcome>();

  /** Charges an order, or throws {@link GatewayTimeoutError} when the gateway "times out". */
  charge(orderId: string, paymentMethod: string): ChargeOutcome {
    const earlier = this.outcomes.get(orderId);
    if (earlier) return earlier;
    const outcome = this.decide(orderId, paymentMethod);
    this.outcomes.set(orderId, outcome);
    return outcome;
  }

  private decide(orderId: string, paymentMethod: string): ChargeOutcome {
    switch (paymentMethod) {
      case PAYMENT_TOKENS.approved:
        return { approved: true };
      case PAYMENT_TOKENS.transient:
        if (this.failedOnce.has(orderId)) return { approved: true };
        this.failedOnce.add(orderId);
        throw new GatewayTimeoutError('payment gateway timed out (transient, will be retried)');
      case PAYMENT_TOKENS.poison:
        throw new GatewayTimeoutError('payment gateway timed out (this token always does)');
      case PAYMENT_TOKENS.declined:
        return { approved: false, reason: 'card declined by issuer' };
      default:
        return { approved: false, reason: 'unknown payment method' };
    }
  }
}
