/**
 * The unit's services, in start order (stopped in reverse). Each subsystem adds one entry here and
 * nothing else to the composition root, e.g.
 *   { name: 'sip', create: (ctx) => new SipService(ctx) },
 * The name is the subsystem the service's logs carry and the key of ctx.services.get(name).
 */
import type { ServiceSpec } from './service';

export function defaultServices(): ServiceSpec[] {
  return [
    // order: hw (line hardware), media, voice (SIP accounts, calls), provisioning, cwmp, web
  ];
}
