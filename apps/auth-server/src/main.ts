import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Module, Controller, Get } from '@nestjs/common';
@Controller() class C { @Get('x') x() { return { ok: true }; } }
@Module({ controllers: [C] }) class M {}
async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(M, new FastifyAdapter());
  await app.listen(3000, '127.0.0.1');
}
bootstrap();
