// Waits until every URL given answers 2xx (a collector's health_check extension), then
// exits 0; exits 1 after WAIT_READY_TIMEOUT_SECONDS (default 120). docker-compose.yml runs
// it as a one-shot container that the services depend on, because the collector image
// has no shell or HTTP client for a health check of its own.
const urls = process.argv.slice(2);
const deadline = Date.now() + Number(process.env.WAIT_READY_TIMEOUT_SECONDS ?? 120) * 1000;
const ready = async (url) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
};
for (;;) {
  const answers = await Promise.all(urls.map(ready));
  if (answers.every(Boolean)) {
    console.log(`ready: ${urls.join(' ')}`);
    process.exit(0);
  }
  if (Date.now() > deadline) {
    console.error(`not ready: ${urls.filter((_, index) => !answers[index]).join(' ')}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
