import type { OrderItem } from '@mqtrace/contracts';

/** What a reservation came to. */
export type Reservation = { readonly reserved: true } | { readonly reserved: false; readonly missing: readonly string[] };

/**
 * The stock table, in memory, seeded from configuration (a simulated backend: a real
 * service would hold this in a database). A reservation takes every item or none, and
 * an order is reserved once even when its message is delivered twice.
 */
export class StockTable {
  private readonly units = new Map<string, number>();
  private readonly reservations = new Map<string, Reservation>();

  constructor(
    seed: Readonly<Record<string, number>>,
    private readonly defaultUnits: number,
  ) {
    for (const [sku, units] of Object.entries(seed)) this.units.set(sku, units);
  }

  /** Reserves all items of an order, or reports the SKUs that are short. */
  reserve(orderId: string, items: readonly OrderItem[]): Reservation {
    const earlier = this.reservations.get(orderId);
    if (earlier) return earlier;
    const wanted = new Map<string, number>();
    for (const { sku, quantity } of items) wanted.set(sku, (wanted.get(sku) ?? 0) + quantity);
    const missing = [...wanted].filter(([sku, quantity]) => this.available(sku) < quantity).map(([sku]) => sku);
    const outcome: Reservation = missing.length > 0 ? { reserved: false, missing } : { reserved: true };
    if (outcome.reserved) for (const [sku, quantity] of wanted) this.units.set(sku, this.available(sku) - quantity);
    this.reservations.set(orderId, outcome);
    return outcome;
  }

  /** Units of a SKU left. */
  available(sku: string): number {
    return this.units.get(sku) ?? this.defaultUnits;
  }
}
