// The fake WeCom API in its own process for benchmarks, so the load generator does not also serve
// every reply. Prints its URL on the first line of stdout; stops on SIGTERM.
import { FakeWecomServer } from '../test/fakes/fake-wecom-server.js';

const [corpId = 'wwbench', secret = 'bench-secret'] = process.argv.slice(2);
const fake = new FakeWecomServer({ corpId, secrets: [secret] });
const { url } = await fake.start();
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
