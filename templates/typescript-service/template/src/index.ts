import { createServer } from './server';

const port = Number(process.env.PORT ?? 8080);
let stopping = false;
const server = createServer({ ready: () => !stopping });

server.listen(port, () => {
  console.log(JSON.stringify({ level: 'info', message: `listening on ${port}` }));
});

// Kubernetes sends SIGTERM, waits for readiness to drop and then for the drain: stop taking new work, finish the rest.
const shutdown = () => {
  stopping = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 20_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
