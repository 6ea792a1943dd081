import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@mqtrace/service-kit';
import { SERVICE_NAME, type InventoryConfig } from './config.js';
import { ReserveHandler } from './reserve.handler.js';
import { StockTable } from './stock.js';

/** inventory: the service kit, the stock table and the `inventory.reserve` handler. */
@Module({})
export class InventoryModule {
  static register(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryModule,
      imports: [ServiceKitModule.forRoot(SERVICE_NAME, config)],
      controllers: [ReserveHandler],
      providers: [{ provide: StockTable, useValue: new StockTable(config.INVENTORY_STOCK, config.INVENTORY_DEFAULT_STOCK) }],
    };
  }
}
