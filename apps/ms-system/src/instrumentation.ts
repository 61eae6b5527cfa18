// Loaded first by main.ts: the OpenTelemetry SDK must patch http, NestJS and pg before they load.
import { startTracing } from '@playground/telemetry/tracing';

startTracing('ms-system');
