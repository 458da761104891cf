import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@coord/platform';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { createApiApp } from './bootstrap/create-api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  const generated = app.get(BootstrapService).generatedAdminPassword;
  if (generated) {
    // Printed once, to the terminal only (not through the logger), as the issue asks; change it after signing in.
    process.stdout.write(`\n初始管理员账号 admin 的密码（仅显示这一次）: ${generated}\n\n`);
  }
  new Logger('main').log(`api listening on http://${config.host}:${config.port} (docs: /api/docs, event store: ${config.eventStore.kind}, data: ${config.dataDir})`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
