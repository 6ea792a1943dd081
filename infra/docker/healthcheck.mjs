// A service container's health check: healthy when its readiness endpoint answers 2xx
// (Kafka connected, consuming). A script rather than `node -e "…"` in docker-compose.yml,
// because Podman's Docker-compatible API splits a health check's arguments at spaces.
const port = process.env.PORT ?? '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
