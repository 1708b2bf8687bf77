// The app's main-process services on the real engine (sender, receivers, loopback discovery) with the dialogs,
// shell and clipboard answered by the test, as the main-process tests that run real transfers build them.
import { createServices, type AppServices, type ServiceDeps } from '../../src/main/services/index.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { loopbackDiscovery } from '../helpers/loopback.js';
import { fakeDesktop } from './fakeDesktop.js';

export function realServices(
  userData: string,
  deps: Pick<ServiceDeps, 'emit'> & Partial<ServiceDeps>,
): AppServices {
  return createServices({
    discovery: loopbackDiscovery,
    userData,
    send,
    startReceiver,
    desktop: fakeDesktop(),
    ...deps,
  });
}
