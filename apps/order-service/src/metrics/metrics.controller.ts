import { Controller, Get, Header } from '@nestjs/common';
import { OrderMetrics } from './order-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: OrderMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
