/**
 * The unit's services, in start order (stopped in reverse). Each subsystem adds one entry here and
 * nothing else to the composition root, e.g.
 *   { name: 'sip', create: (ctx) => new SipService(ctx) },
 * The name is the subsystem the service's logs carry and the key of ctx.services.get(name).
 */
import type { ServiceSpec } from './service';
import { createWebService } from './web/web-service';
import { createHwService } from './hw/service';
import { SipService } from './voice/accounts/sip-service';
import { createCallsService } from './voice/calls/calls-service';
import { createProvisionService } from './provision/provisioner';
import { createPnpService } from './provision/pnp/pnp-service';
import { CwmpService } from './cwmp/service';
import { createAutoRebootService } from './maintenance/auto-reboot-service';
import { createSyslogService } from './syslog/syslog-service';
import { createSnmpService } from './snmp/snmp-service';
import { createMgmtService } from './mgmt/mgmt-service';

export function defaultServices(): ServiceSpec[] {
  return [
    // order: syslog (first up, last down: it carries the others' logs), hw (line hardware), media,
    // voice (SIP accounts, calls), provisioning (and its SIP PnP), maintenance (automatic reboot),
    // snmp (agent and traps), cwmp, web, mgmt (SSH and Telnet consoles)
    { name: 'syslog', create: createSyslogService },
    { name: 'hw', create: createHwService },
    { name: 'sip', create: (ctx) => new SipService(ctx) },
    { name: 'calls', create: createCallsService },
    { name: 'provision', create: createProvisionService },
    { name: 'pnp', create: createPnpService },
    { name: 'maintenance', create: createAutoRebootService },
    { name: 'snmp', create: createSnmpService },
    { name: 'cwmp', create: (ctx) => new CwmpService(ctx) },
    { name: 'web', create: createWebService },
    { name: 'mgmt', create: createMgmtService },
  ];
}
