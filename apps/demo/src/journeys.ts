// npm run journeys: serves the journey page (libs/journey-page) against the running
// system until Ctrl-C; infra/scripts/with-system.sh brings the stack and services up first
// when they are not running. `npm run demo` serves the same page while it runs.
import pc from 'picocolors';
import { journeyPageSettings, journeyPageStartProblem, serveJourneyPage } from '@mqtrace/journey-page';

try {
  const page = await serveJourneyPage(journeyPageSettings());
  console.log(`${pc.bold('The journey page')}: ${page.url}/journeys   (Ctrl-C stops it)`);
  // SIGTERM too: in a container (docker compose's journey-page) node is PID 1, which
  // has no default handler for it, so `docker stop` would wait 10 s and kill it.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await page.close();
} catch (error) {
  const problem = journeyPageStartProblem(error);
  if (!problem) throw error;
  console.error(pc.red(`The journey page cannot start: ${problem}`));
  process.exitCode = 2;
}
