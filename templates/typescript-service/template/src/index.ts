import { createServer } from './server';

const port = Number(process.env.PORT ?? 8080);
let stopping = false;
const server = createServer({ ready: () => !stopping });

server.listen(port, () => {
  console.log(JSON.stringify({ level: 'info', message: `listening on ${port}` }));
});

// Kubernetes sends SIGTERM after the chart's preStop pause (the load balancer has stopped sending by then): stop
// taking new work, finish the requests in flight, exit before terminationGracePeriodSeconds.
const shutdown = () => {
  stopping = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 20_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
